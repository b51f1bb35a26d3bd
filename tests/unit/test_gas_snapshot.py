"""Gas regression guard: the current code must reproduce benchmarks/gas.json.

The snapshot is measured on anvil (`make bench`) and checked in the anvil run of `make test`
(the in-process EVM prices a few operations differently, e.g. the Median-style poke).
Figures without signatures must match exactly; figures that carry ECDSA signatures over
chain-specific data may move by bench.SIGNATURE_TOLERANCE gas per signature (zero bytes in a
signature cost less calldata). When a change moves a figure on purpose, run `make bench`,
commit the new figures and say why in the commit message.
"""

import pytest

from carbonchain import bench
from carbonchain.oracle.bench import OPERATOR_COUNTS


def compare(section, measured, chain):
    data = bench.load_snapshot()
    if data["environment"]["provider"] != chain.provider.name:
        pytest.skip(f"the snapshot was measured on {data['environment']['provider']}; "
                    "`make test` checks it in its anvil run")
    snapshot = data[section]
    assert set(measured) == set(snapshot)
    changed = {}
    for key, fig in measured.items():
        snap = snapshot[key]
        if snap.get("estimate") or snap.get("volatile"):
            continue
        allowed = bench.SIGNATURE_TOLERANCE * snap.get("signatures", 0)
        if abs(fig.gas - snap["gas"]) > allowed:
            changed[key] = (snap["gas"], fig.gas)
    assert not changed, f"gas changed (committed, now): {changed}; run `make bench` and explain it"


@pytest.fixture(scope="module")
def notary_figures(accounts):
    return {f.key: f for f in bench.measure("notary", list(accounts[:4]))}


@pytest.fixture(scope="module")
def oracle_figures(accounts):
    return {f.key: f for f in bench.measure("oracle", list(accounts[:bench.ACCOUNTS]))}


@pytest.fixture(scope="module")
def identity_figures(accounts):
    return {f.key: f for f in bench.measure("identity", list(accounts[:bench.ACCOUNTS]))}


@pytest.fixture(scope="module")
def credential_figures(accounts):
    return {f.key: f for f in bench.measure("credentials", list(accounts[:bench.ACCOUNTS]))}


@pytest.fixture(scope="module")
def fund_figures(accounts):
    return {f.key: f for f in bench.measure("fund", list(accounts[:bench.ACCOUNTS]))}


def test_fund_gas_matches_snapshot(fund_figures, chain):
    compare("fund", fund_figures, chain)


@pytest.fixture(scope="module")
def offset_figures(accounts):
    return {f.key: f for f in bench.measure("offset", list(accounts[:bench.ACCOUNTS]))}


def test_offset_gas_matches_snapshot(offset_figures, chain):
    compare("offset", offset_figures, chain)


def test_offset_retirement_costs_the_same_wherever_it_lands(offset_figures):
    """Head, between, after: the hint check reads two records in each case (new lot aside)."""
    gas = [offset_figures[k].gas for k in ("retire_head", "retire_between", "retire_append")]
    assert max(gas) <= min(gas) * 1.10


def test_credential_gas_matches_snapshot(credential_figures, chain):
    compare("credentials", credential_figures, chain)


def test_credential_costs_against_eas(credential_figures):
    f = credential_figures
    assert f["cred_issue"].gas * 3 <= f["eas_attest"].gas
    assert f["cred_revoke"].gas * 2 <= f["eas_revoke"].gas


def test_identity_gas_matches_snapshot(identity_figures, chain):
    compare("identity", identity_figures, chain)


def test_did_registry_never_costs_more_than_reference(identity_figures):
    for key, fig in identity_figures.items():
        if key.startswith("ours_"):
            ref = identity_figures["reference_" + key[len("ours_"):]]
            assert fig.gas <= ref.gas, (key, fig.gas, ref.gas)


def test_notary_gas_matches_snapshot(notary_figures, chain):
    compare("notary", notary_figures, chain)


def test_oracle_gas_matches_snapshot(oracle_figures, chain):
    compare("oracle", oracle_figures, chain)


def test_notary_aims_hold(notary_figures):
    assert notary_figures["anchor"].gas < 60_000
    assert notary_figures["batch_1000"].per_document < 100


def test_oracle_bundle_beats_one_transaction_per_operator(oracle_figures):
    for n in OPERATOR_COUNTS:
        assert oracle_figures[f"bundle_{n}"].gas < oracle_figures[f"submit_round_{n}"].gas / 2
