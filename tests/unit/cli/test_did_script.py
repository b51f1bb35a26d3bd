"""`ape run did`: create, show, add keys, services and delegates, change owner; one-line errors."""

import json

import pytest

from carbonchain.identity.resolver import did_for
from tests.utils.scripts import one_line_error, run


@pytest.fixture(autouse=True)
def deployed(tmp_path, monkeypatch):
    monkeypatch.setenv("CARBONCHAIN_DEPLOYMENTS", str(tmp_path / "deployments"))
    monkeypatch.chdir(tmp_path)
    assert run("deploy").exit_code == 0


def document(res):
    text = res.output[res.output.index("{"):]
    return json.loads(text)


def test_create_publish_and_show(accounts, chain):
    did = did_for(accounts[1].address, chain.chain_id)
    res = run("did", "create", "--account", "test:1", "--publish-key")
    assert res.exit_code == 0, res.output
    assert did in res.output
    doc = document(res)
    assert doc["id"] == did and doc["verificationMethod"][1]["type"] == "EcdsaSecp256k1VerificationKey2019"
    assert run("did", "add-service", "--type", "CarbonAccountService", "--endpoint", "https://bank.example/carbon",
               "--account", "test:1").exit_code == 0
    assert run("did", "add-delegate", accounts[2].address, "--type", "sigAuth", "--account", "test:1").exit_code == 0
    assert run("did", "add-key", "--public-key", "0x" + "ab" * 32, "--algorithm", "Ed25519", "--encoding", "base58",
               "--account", "test:1").exit_code == 0
    shown = run("did", "show", did)
    assert shown.exit_code == 0
    doc = document(shown)
    assert doc["service"][0]["serviceEndpoint"] == "https://bank.example/carbon"
    assert len(doc["verificationMethod"]) == 4 and len(doc["authentication"]) == 2
    res = run("did", "change-owner", accounts[3].address, "--account", "test:1")
    assert res.exit_code == 0
    doc = document(run("did", "show", accounts[1].address))
    assert doc["verificationMethod"][0]["blockchainAccountId"].endswith(accounts[3].address)



def test_errors_are_one_line(accounts):
    one_line_error(run("did", "add-service", "--type", "X", "--endpoint", "https://x", "--identity",
                       accounts[1].address, "--account", "test:2"), "is not the owner")
    one_line_error(run("did", "add-service", "--type", "two words", "--endpoint", "x", "--account", "test:1"),
                   "one word")
    one_line_error(run("did", "add-key", "--public-key", "zz", "--account", "test:1"), "not hex")
    one_line_error(run("did", "show", "did:web:example.com"), "not a did:ethr DID")
    one_line_error(run("did", "change-owner", "0x1234", "--account", "test:1"), "0x1234")


@pytest.mark.parametrize("network", ["0x1:", "", "sepolia:"])
def test_a_did_of_another_chain_is_refused(accounts, network):
    """First-hour item 3: `did show did:ethr:0x1:<address>` must not answer from the local chain."""
    did = f"did:ethr:{network}{accounts[1].address}"
    res = run("did", "show", did)
    one_line_error(res, "connected chain is", did)
