"""E2E: a bank (AssetProof issuer) and a broker (ProfessionalInvestor issuer) are accredited; an
investor gets an asset proof, then a professional-investor credential; a second broker verifies
and recognises it; the bank's accreditation is withdrawn and the asset proof revoked; verification
then fails with the reason; the audit trail shows every step. On any JSON-RPC node (anvil, Hardhat)
the VC-JWT also verifies with the standard did-jwt-vc library."""

import json

import pytest

from carbonchain.identity.resolver import did_for
from carbonchain.identity import bytes32_text
from carbonchain.identity.vc import anchor_jwt, credential_digest, issue_jwt, verify_jwt
from tests.utils.network import npm_verify, rpc_url

DAY = 86400
ASSET, PRO = "AssetProof", "ProfessionalInvestor"


@pytest.fixture
def registries(project, accounts):
    gov = accounts[0]
    dids = gov.deploy(project.DIDRegistry)
    tir = gov.deploy(project.TrustedIssuerRegistry, 0, gov, gov)
    creds = gov.deploy(project.CredentialRegistry, 0, gov, gov, tir)
    return dids, tir, creds


def test_professional_investor_flow(registries, accounts, chain):
    dids, tir, creds = registries
    gov, bank, broker, investor, broker2 = accounts[0], accounts[1], accounts[2], accounts[3], accounts[4]
    cid = chain.chain_id
    did = {a.address: did_for(a.address, cid) for a in (bank, broker, investor, broker2)}
    now = chain.pending_timestamp
    tir.accredit(bank, bytes32_text(ASSET), now - 60, now + 365 * DAY, False, sender=gov)
    tir.accredit(broker, bytes32_text(PRO), now - 60, now + 365 * DAY, False, sender=gov)

    # the bank attests the investor's assets (the figures stay in the JWT, off chain)
    asset_jwt = issue_jwt(bank, did[bank.address], did[investor.address], ASSET,
                          {"id": did[investor.address], "financialAssetsAtLeastCNY": 5_000_000},
                          issued_at=now - 10, expires_at=now + 90 * DAY)
    anchor_jwt(asset_jwt, creds, sender=bank)
    v = verify_jwt(asset_jwt, dids, creds)
    assert v.valid, v.reasons
    creds.recordVerification(bank, credential_digest(asset_jwt), sender=broker)

    # the broker accredits the investor as professional
    pro_jwt = issue_jwt(broker, did[broker.address], did[investor.address], PRO,
                        {"id": did[investor.address], "basis": "assets", "assetProof": "0x" + credential_digest(asset_jwt).hex()},
                        issued_at=now - 5, expires_at=now + 365 * DAY)
    anchor_jwt(pro_jwt, creds, sender=broker)
    # a second broker verifies and recognises it
    v = verify_jwt(pro_jwt, dids, creds)
    assert v.valid and v.signer == broker.address and v.credential_type == PRO
    creds.recordVerification(broker, credential_digest(pro_jwt), sender=broker2)
    if rpc_url(chain.provider):  # any JSON-RPC node: anvil, Hardhat, ...
        npm = npm_verify(chain, dids.address, pro_jwt)
        assert npm["verified"], npm
        assert npm["issuer"] == did[broker.address]

    # facts change: the bank loses its accreditation and revokes the asset proof
    tir.withdraw(bank, bytes32_text(ASSET), 11, sender=gov)
    creds.revoke(bank, credential_digest(asset_jwt), 3, sender=bank)
    v = verify_jwt(asset_jwt, dids, creds)
    assert not v.valid and "credential revoked (reason 3)" in v.reasons
    # a forged copy (claims changed, signature kept) fails on its signature and on the registry
    import base64

    head, payload, sig = pro_jwt.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["vc"]["credentialSubject"]["basis"] = "income"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims, separators=(",", ":")).encode()).rstrip(b"=").decode()
    forged = verify_jwt(f"{head}.{forged_payload}.{sig}", dids, creds)
    assert not forged.valid
    assert "signature does not match any key of the issuer's DID document" in forged.reasons
    assert "not anchored on the credential registry by the JWT's issuer" in forged.reasons
    assert not verify_jwt("not.a.jwt", dids, creds).valid

    # the regulator's audit trail of the investor's DID: issued, verified (by whom), revoked
    head_block = chain.blocks.head.number
    issued = list(creds.CredentialIssued.range(0, head_block + 1, search_topics={"subject": investor.address}))
    verified = list(creds.CredentialVerified.range(0, head_block + 1, search_topics={"subject": investor.address}))
    revoked = list(creds.CredentialRevoked.range(0, head_block + 1))
    assert [e.issuer for e in issued] == [bank.address, broker.address]
    assert [e.verifier for e in verified] == [broker.address, broker2.address] and all(e.valid for e in verified)
    assert [bytes(e.digest) for e in revoked] == [credential_digest(asset_jwt)]
    assert not tir.isTrusted(bank, bytes32_text(ASSET))


def test_identity_scenario_of_the_demo(registries, accounts):
    from carbonchain.identity.scenario import identity_scenario

    dids, tir, creds = registries
    people = dict(gov=accounts[0], bank=accounts[11], broker=accounts[12], investor=accounts[13], broker2=accounts[14])
    checks = identity_scenario(dids, tir, creds, people, log=lambda _m: None)
    assert [c.name for c in checks if not c.ok] == []
    assert len(checks) == 4
