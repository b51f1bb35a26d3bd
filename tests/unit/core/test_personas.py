"""One table of personas for every CLI, the console and the demo (first-hour issue, item 6): the
README's `--account broker` works on a local chain."""

import pytest

from carbonchain.core.network import get_account
from carbonchain.core.personas import PERSONAS, persona_index
from carbonchain.identity.resolver import did_for
from tests.utils.scripts import run


def test_persona_names_resolve_to_their_test_accounts(accounts):
    for name, index in PERSONAS.items():
        assert get_account(name).address == accounts[index].address, name
    assert persona_index("Broker") == PERSONAS["broker"]


def test_unknown_name_is_still_an_ape_alias_lookup():
    with pytest.raises(Exception) as info:
        get_account("no-such-person")
    assert "no-such-person" in str(info.value)


def test_cli_accepts_a_persona(accounts, chain, tmp_path, monkeypatch):
    monkeypatch.setenv("CARBONCHAIN_DEPLOYMENTS", str(tmp_path / "deployments"))
    monkeypatch.chdir(tmp_path)
    assert run("deploy").exit_code == 0
    res = run("did", "create", "--account", "broker")
    assert res.exit_code == 0, res.output
    assert did_for(accounts[PERSONAS["broker"]].address, chain.chain_id) in res.output
