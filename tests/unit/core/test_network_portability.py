"""What a real network exposes and the dev chains hide (issue 16, bugs 1-3; issue 8, finding 11).

Each test names the bug it guards. The Hardhat run (`make test-hardhat`) replays the e2e suite on a
node that really behaves this way; these tests pin the rules on the in-process provider.
"""

import time
from types import SimpleNamespace

import pytest
from ape.exceptions import ContractLogicError, OutOfGasError, VirtualMachineError

from carbonchain.core.errors import CarbonChainError, describe, is_revert
from carbonchain.core.network import (
    SAFE_GAS_MULTIPLIER,
    apply_gas_policy,
    chain_time,
    get_account,
    is_local_chain,
    set_chain_time,
    set_next_block_time,
)
from carbonchain.identity import bytes32_text
from carbonchain.identity.resolver import did_for
from carbonchain.identity.vc import anchor_jwt, issue_jwt, verify_jwt

DAY = 86400


# -- bug 1: gas headroom wherever Ape estimates ------------------------------------------------


def test_estimated_networks_get_safe_gas_headroom(networks):
    """Bug 1: an estimate taken against the latest block ran ~500 gas short on a real node for the DID
    registry's block-dependent write; every network where Ape estimates now gets headroom."""
    sepolia = networks.ethereum.get_network("sepolia")  # Ape's default there: estimate, multiplier 1.0
    assert apply_gas_policy(SimpleNamespace(network=sepolia)) == SAFE_GAS_MULTIPLIER
    assert sepolia.auto_gas_multiplier == SAFE_GAS_MULTIPLIER
    assert sepolia.gas_limit.multiplier == SAFE_GAS_MULTIPLIER


def test_an_explicit_multiplier_in_ape_config_wins(networks):
    """Bug 1: `gas_limit: {auto: {multiplier: M}}` for a network (Ape leaves it an unparsed mapping on
    custom networks, where sending then fails) is honoured as written."""
    net = networks.ethereum.get_network("holesky")
    net.config.__dict__["gas_limit"] = {"auto": {"multiplier": 1.5}}
    try:
        assert apply_gas_policy(SimpleNamespace(network=net)) == 1.5
        assert net.auto_gas_multiplier == 1.5
    finally:
        del net.config.__dict__["gas_limit"]


def test_dev_chains_keep_sending_the_block_gas_limit(chain):
    """The local dev nodes send `max` (no estimate): the policy leaves them alone."""
    assert apply_gas_policy(chain.provider) is None


# -- bug 2: reverts on a generic JSON-RPC provider ---------------------------------------------


def test_a_generic_providers_revert_is_one_named_line(project):
    """Bug 2: Hardhat/Besu through Ape's `node` provider raise VirtualMachineError (not
    ContractLogicError) for a revert; it is a revert, and it reads as the named custom error."""
    from eth_utils import keccak

    selector = keccak(text="DocumentRegistryUnknownRecord(address,bytes32,uint8)")[:4].hex()
    args = "00" * 12 + "22" * 20 + "11" * 32 + "00" * 31 + "02"
    err = VirtualMachineError(
        "Error: VM Exception while processing transaction: reverted with an unrecognized custom error "
        f"(return data: 0x{selector}{args})"
    )
    assert is_revert(err)
    line = describe(err)
    assert line.startswith("reverted with DocumentRegistryUnknownRecord(")
    assert "\n" not in line


def test_out_of_gas_is_not_taken_for_a_revert():
    """Bug 2: catching reverts must not swallow an out-of-gas failure as "not anchored"."""
    assert not is_revert(OutOfGasError())
    assert "out of gas" in describe(OutOfGasError())
    assert is_revert(ContractLogicError("no"))


# -- bug 3: validity by the chain's clock ------------------------------------------------------


def test_credentials_are_judged_by_chain_time_not_the_wall_clock(project, accounts, chain):
    """Bug 3: a node whose clock runs ahead of this machine's (a consortium chain with skewed
    validators, Hardhat after time travel) issued a credential that verify_jwt called "not valid
    yet", because it compared the chain's nbf with time.time()."""
    gov, broker, investor = accounts[0], accounts[2], accounts[3]
    dids = gov.deploy(project.DIDRegistry)
    tir = gov.deploy(project.TrustedIssuerRegistry, 0, gov, gov)
    creds = gov.deploy(project.CredentialRegistry, 0, gov, gov, tir)
    chain.mine(timestamp=int(time.time()) + 30 * DAY)  # the chain's clock is a month ahead
    now = chain_time()
    assert now > time.time() + 29 * DAY
    tir.accredit(broker, bytes32_text("ProfessionalInvestor"), now - 60, now + 365 * DAY, False, sender=gov)
    cid = chain.chain_id
    jwt = issue_jwt(broker, did_for(broker.address, cid), did_for(investor.address, cid), "ProfessionalInvestor",
                    {"id": did_for(investor.address, cid)}, issued_at=now - 1, expires_at=now + 10 * DAY)
    anchor_jwt(jwt, creds, sender=broker)
    verdict = verify_jwt(jwt, dids, creds)  # no explicit `now`: the chain's time
    assert verdict.valid, verdict.reasons


# -- moving a dev chain's clock: a block at the new time, seen by every read -------------------


def test_moving_the_clock_mines_a_block_that_views_see(project, accounts, chain):
    """Hardhat: pinning the next block's time (evm_setNextBlockTimestamp) left eth_call, and so every
    pre-flight and view, on the old clock until a block was mined; the fund cooling-off step failed
    there. set_chain_time mines a block at the new time, so a view sees it at once."""
    gov, broker = accounts[0], accounts[2]
    tir = gov.deploy(project.TrustedIssuerRegistry, 0, gov, gov)
    head = int(chain.blocks.head.timestamp)
    starts = head + 3 * DAY
    tir.accredit(broker, bytes32_text("ProfessionalInvestor"), starts, starts + DAY, False, sender=gov)
    assert not tir.isTrusted(broker, bytes32_text("ProfessionalInvestor"))
    set_chain_time(starts)
    assert chain.blocks.head.timestamp >= starts  # mined (py-evm may add a block after it)
    assert tir.isTrusted(broker, bytes32_text("ProfessionalInvestor"))


def test_pinning_the_next_block_lands_the_next_transaction_at_that_second(project, accounts, chain):
    """set_next_block_time: the next transaction lands at exactly that time (one second before a
    deadline)."""
    gov = accounts[0]
    dids = gov.deploy(project.DIDRegistry)
    t = int(chain.blocks.head.timestamp) + DAY
    set_next_block_time(t)
    receipt = dids.changeOwner(gov, accounts[1], sender=gov)
    assert chain.blocks[receipt.block_number].timestamp == t


# -- issue 8, finding 11: test accounts only on local chains -----------------------------------


def test_test_accounts_are_refused_off_local_chains(chain, monkeypatch):
    """Finding 11: the default sender was test account 0 (a public key) on any network. Off the
    local dev chains, `--account` is required and test accounts are refused in every spelling."""
    assert is_local_chain()
    assert get_account(None).address == get_account("test:0").address
    test_address = get_account("test:1").address
    monkeypatch.setattr("carbonchain.core.network.is_local_chain", lambda provider=None: False)
    for spec in (None, "test:3", test_address):
        with pytest.raises(CarbonChainError, match="--account is required"):
            get_account(spec)


# -- bug 4: npm cross-checks on any JSON-RPC node ----------------------------------------------


def test_cross_checks_run_on_any_provider_with_an_rpc_url(chain):
    """Bug 4: the npm resolver/verifier cross-checks ran only on a provider named "foundry"; they
    now run wherever the provider has an HTTP JSON-RPC URL (Hardhat through Ape's `node` provider)."""
    from tests.utils.network import rpc_url

    assert rpc_url(SimpleNamespace(name="node", uri="http://127.0.0.1:8555")) == "http://127.0.0.1:8555"
    assert rpc_url(SimpleNamespace(name="node", uri="/tmp/geth.ipc")) is None
    if chain.provider.name == "test":
        assert rpc_url(chain.provider) is None


# -- issue 9, items 2 and 9: the persistent node, on any port --------------------------------


def test_the_node_port_of_make_node_is_every_clis_default(tmp_path, monkeypatch):
    """Item 9: `make node PORT=8546` writes its URL to .carbonchain-node while it runs; with no
    $APE_FOUNDRY_HOST, that is where every CLI's default network looks."""
    from carbonchain.core.network import DEFAULT_NODE_URL, NODE_FILE, node_url

    monkeypatch.delenv("APE_FOUNDRY_HOST", raising=False)
    monkeypatch.setenv("CARBONCHAIN_ROOT", str(tmp_path))
    assert node_url() == DEFAULT_NODE_URL
    (tmp_path / NODE_FILE).write_text("http://127.0.0.1:8546\n")
    assert node_url() == "http://127.0.0.1:8546"
    monkeypatch.setenv("APE_FOUNDRY_HOST", "http://127.0.0.1:9001")
    assert node_url() == "http://127.0.0.1:9001"


def test_with_no_node_a_command_says_so_in_one_line(tmp_path):
    """Item 2: with no node running, `ape run deploy` deployed onto a throwaway chain and the next
    command found nothing. Now it names the URL it tried and `make node`, and deploys nothing."""
    import os
    import shutil
    import socket
    import subprocess

    from tests.utils.docs import ROOT

    if not shutil.which("anvil"):
        pytest.skip("without anvil the default is the in-process chain")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "APE_FOUNDRY_HOST": f"http://127.0.0.1:{port}", "CARBONCHAIN_DEPLOYMENTS": str(tmp_path)}
    res = subprocess.run(["ape", "run", "deploy"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 1, res.stdout + res.stderr
    errors = [ln for ln in (res.stdout + res.stderr).splitlines() if ln.startswith("error")]
    assert errors == [
        f"error: no local node answers at http://127.0.0.1:{port}: start one with `make node` (it keeps its "
        "state), or pass --network ethereum:local:test for a throwaway in-process chain"
    ]
    assert "Traceback" not in res.stderr
    assert not list(tmp_path.iterdir())


def test_a_generic_providers_revert_keeps_its_error_name(project):
    """Bug 2: code that branches on which custom error a call reverted with (the fund scenario's
    rejections) gets the name from a VirtualMachineError's revert data too."""
    from eth_utils import keccak

    from carbonchain.core.errors import revert_name

    selector = keccak(text="DocumentRegistryUnknownRecord(address,bytes32,uint8)")[:4].hex()
    err = VirtualMachineError(f"reverted with an unrecognized custom error (return data: 0x{selector}{'00' * 12}{'22' * 20}{'11' * 32}{'00' * 31}02)")
    assert revert_name(err) == "DocumentRegistryUnknownRecord"
