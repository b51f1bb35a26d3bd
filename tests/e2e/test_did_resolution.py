"""E2E: a DID built through the DIDRegistry resolves to the expected W3C DID document with our
Python resolver and, on anvil, to the very same document with the standard npm ethr-did-resolver."""


import pytest

from carbonchain.identity.resolver import did_for, resolve
from carbonchain.identity import bytes32_text, sign_action
from tests.utils.network import npm_resolve, rpc_url

DAY = 86400
KEY = b"\x02" + bytes(range(1, 33))  # a 33-byte compressed secp256k1 public key


@pytest.fixture
def registry(project, accounts):
    return accounts[0].deploy(project.DIDRegistry)


def build_history(registry, accounts):
    """A bank's DID: a signing key, a service endpoint, a verification delegate, a revoked
    delegate, an expired one, a revoked service, an owner change and a relayed (signed) key."""
    bank, d1, d2, d3, new_owner, relayer = (accounts[i] for i in (1, 2, 3, 4, 5, 12))
    registry.setAttribute(bank, bytes32_text("did/pub/Secp256k1/veriKey/hex"), KEY, 365 * DAY, sender=bank)
    registry.setAttribute(bank, bytes32_text("did/svc/CarbonAccountService"),
                          b'{"uri":"https://bank.example/carbon","accept":["application/json"]}', 365 * DAY,
                          sender=bank)
    registry.addDelegate(bank, bytes32_text("veriKey"), d1, 30 * DAY, sender=bank)
    registry.addDelegate(bank, bytes32_text("sigAuth"), d2, 30 * DAY, sender=bank)
    registry.addDelegate(bank, bytes32_text("veriKey"), d3, 30 * DAY, sender=bank)
    registry.revokeDelegate(bank, bytes32_text("veriKey"), d3, sender=bank)
    registry.setAttribute(bank, bytes32_text("did/svc/Old"), b"https://old.example", 365 * DAY, sender=bank)
    registry.revokeAttribute(bank, bytes32_text("did/svc/Old"), b"https://old.example", sender=bank)
    registry.changeOwner(bank, new_owner, sender=bank)
    sig = sign_action(registry, new_owner, bank.address, "setAttribute",
                      bytes32_text("did/pub/Ed25519/veriKey/base58"), b"\x11" * 32, 365 * DAY)
    registry.setAttributeSigned(bank, sig.v, sig.r, sig.s, bytes32_text("did/pub/Ed25519/veriKey/base58"),
                                b"\x11" * 32, 365 * DAY, sender=relayer)
    return bank, new_owner


def test_python_resolver_builds_the_document(registry, accounts, chain):
    bank, new_owner = build_history(registry, accounts)
    did = did_for(bank.address, chain.chain_id)
    doc = resolve(registry, did)
    vm = {m["id"].split("#")[1]: m for m in doc["verificationMethod"]}
    assert vm["controller"]["blockchainAccountId"] == f"eip155:{chain.chain_id}:{new_owner.address}"
    assert vm["delegate-1"]["publicKeyHex"] == KEY.hex()
    assert vm["delegate-1"]["type"] == "EcdsaSecp256k1VerificationKey2019"
    assert vm["delegate-2"]["blockchainAccountId"].endswith(accounts[2].address)
    assert vm["delegate-3"]["blockchainAccountId"].endswith(accounts[3].address)
    assert "delegate-4" not in vm  # revoked
    assert vm["delegate-6"]["type"] == "Ed25519VerificationKey2018" and "publicKeyBase58" in vm["delegate-6"]
    assert doc["authentication"] == [f"{did}#controller", f"{did}#delegate-3"]
    assert [s["type"] for s in doc["service"]] == ["CarbonAccountService"]
    assert doc["service"][0]["serviceEndpoint"]["uri"] == "https://bank.example/carbon"
    # expiry: a month later the delegates are gone, the keys remain
    later = resolve(registry, did, now=chain.pending_timestamp + 40 * DAY)
    assert {m["id"].split("#")[1] for m in later["verificationMethod"]} == {"controller", "delegate-1", "delegate-6"}


def test_npm_ethr_did_resolver_gives_the_same_document(registry, accounts, chain):
    uri = rpc_url(chain.provider)
    if not uri:
        pytest.skip("needs a JSON-RPC node: `make test` runs this on anvil, `make test-hardhat` on Hardhat")
    bank, _ = build_history(registry, accounts)
    did = did_for(bank.address, chain.chain_id)
    npm, at = npm_resolve(chain, registry.address, did)
    assert npm["didResolutionMetadata"] == {"contentType": "application/did+ld+json"}
    assert resolve(registry, did, now=at) == npm["didDocument"]


def test_did_made_with_the_cli_resolves_the_same_with_npm(accounts, chain, tmp_path, monkeypatch):
    """The `did` CLI creates the DID document; on any JSON-RPC node, the npm resolver returns what ours does."""
    from carbonchain.core.deployments import Deployment
    from tests.utils.scripts import run

    monkeypatch.setenv("CARBONCHAIN_DEPLOYMENTS", str(tmp_path))
    assert run("deploy").exit_code == 0
    for args in (["create", "--publish-key"],
                 ["add-service", "--type", "CarbonAccountService", "--endpoint", "https://bank.example/carbon"],
                 ["add-delegate", accounts[2].address, "--type", "sigAuth"],
                 ["add-key", "--public-key", "0x" + "ab" * 32, "--algorithm", "Ed25519", "--encoding", "base58"]):
        res = run("did", *args, "--account", "test:1")
        assert res.exit_code == 0, res.output
    registry_address = Deployment.load(chain.chain_id).contracts["DIDRegistry"]
    from ape import project

    registry = project.DIDRegistry.at(registry_address)
    did = did_for(accounts[1].address, chain.chain_id)
    ours = resolve(registry, did)
    assert len(ours["verificationMethod"]) == 4 and ours["service"][0]["type"] == "CarbonAccountService"
    if not rpc_url(chain.provider):
        pytest.skip("the npm comparison needs a JSON-RPC node: `make test` runs it on anvil")
    npm, at = npm_resolve(chain, registry_address, did)
    assert npm["didDocument"] == resolve(registry, did, now=at)
