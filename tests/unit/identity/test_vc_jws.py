"""Security review (issue 8), finding 15: the VC-JWT's JWS layer runs on joserfc (a maintained JOSE
library) instead of hand-written base64/JSON/ECDSA. A flipped byte, a wrong `alg`, `alg: none`, a future
`nbf`, a past `exp` or malformed segments each give one clear line; did:ethr resolution and the
on-chain checks stay ours."""

import base64
import json

import pytest

from carbonchain.identity import anchor_jwt, did_for, issue_jwt, verify_jwt
from tests.utils.identity import DAY, PRO


def b64(obj) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def world(project, admin, broker, investor, chain):
    dids = admin.deploy(project.DIDRegistry)
    tir = admin.deploy(project.TrustedIssuerRegistry, 0, admin, admin)
    creds = admin.deploy(project.CredentialRegistry, 0, admin, admin, tir)
    now = chain.pending_timestamp
    tir.accredit(broker, PRO, now - 10, now + 365 * DAY, False, sender=admin)
    return dids, creds, now


def issue(world, broker, investor, chain, *, nbf=None, exp=None):
    dids, creds, now = world
    cid = chain.chain_id
    jwt = issue_jwt(broker, did_for(broker.address, cid), did_for(investor.address, cid), "ProfessionalInvestor",
                    {"basis": "assets"}, issued_at=now - 5 if nbf is None else nbf,
                    expires_at=now + 30 * DAY if exp is None else exp)
    anchor_jwt(jwt, creds, sender=broker)
    return jwt


def check(world, jwt, now=None):
    dids, creds, t0 = world
    return verify_jwt(jwt, dids, creds, now=t0 if now is None else now)


def test_valid_credential_verifies_with_joserfc(world, broker, investor, chain):
    v = check(world, issue(world, broker, investor, chain))
    assert v.valid, v.reasons
    assert v.signer == broker.address and v.credential_type == "ProfessionalInvestor"


def test_flipped_byte(world, broker, investor, chain):
    jwt = issue(world, broker, investor, chain)
    head, payload, sig = jwt.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["vc"]["credentialSubject"]["basis"] = "income"
    for forged in (f"{head}.{b64(claims)}.{sig}", f"{head}.{payload}.{sig[:10]}{'A' if sig[10] != 'A' else 'B'}{sig[11:]}"):
        v = check(world, forged)
        assert not v.valid
        assert "signature does not match any key of the issuer's DID document" in v.reasons


@pytest.mark.parametrize("alg", ["none", "HS256", "ES256", "RS256"])
def test_wrong_or_no_algorithm(world, broker, investor, chain, alg):
    jwt = issue(world, broker, investor, chain)
    _head, payload, sig = jwt.split(".")
    forged = f"{b64({'alg': alg, 'typ': 'JWT'})}.{payload}.{'' if alg == 'none' else sig}"
    v = check(world, forged)
    assert not v.valid and v.reasons == [f"unsupported alg '{alg}': only ES256K is accepted"]


def test_future_nbf(world, broker, investor, chain):
    _dids, _creds, now = world
    v = check(world, issue(world, broker, investor, chain, nbf=now + DAY))
    assert v.reasons == [f"not valid yet (nbf {now + DAY}, now {now})"]


def test_past_exp(world, broker, investor, chain):
    _dids, _creds, now = world
    jwt = issue(world, broker, investor, chain, exp=now + DAY)
    v = check(world, jwt, now=now + DAY)
    assert v.reasons == [f"expired (exp {now + DAY}, now {now + DAY})"]


@pytest.mark.parametrize("text", ["not.a.jwt", "a.b", "", "eyJhbGciOiJFUzI1NksifQ.bm90IGpzb24.c2ln"])
def test_malformed_segments(world, text):
    v = check(world, text)
    assert not v.valid and len(v.reasons) == 1 and v.reasons[0].startswith("not a JWT: ")


def test_missing_exp_is_refused(world, broker, investor, chain):
    """A JWT without exp (signed properly) is not accepted as a credential."""
    _dids, _creds, now = world
    from carbonchain.identity.vc import _b64url  # the issuer's own encoding, to sign a payload without exp
    import hashlib

    header = _b64url(json.dumps({"alg": "ES256K", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64url(json.dumps({"iss": did_for(broker.address, chain.chain_id), "sub": "x", "nbf": now - 1},
                                 separators=(",", ":")).encode())
    sig = broker.sign_raw_msghash(hashlib.sha256(f"{header}.{payload}".encode()).digest())
    n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
    s = int.from_bytes(bytes(sig.s), "big")
    raw = bytes(sig.r) + min(s, n - s).to_bytes(32, "big")
    v = check(world, f"{header}.{payload}.{_b64url(raw)}")
    assert any(r.startswith("missing claim") for r in v.reasons), v.reasons
