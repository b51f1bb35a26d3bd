"""W3C Verifiable Credentials as JWTs (VC-JWT, alg ES256K) issued by did:ethr DIDs.

Issuing signs SHA-256 of the JWT signing input with the issuer account's secp256k1 key (an Ape
account: its key may live in a keyfile or a hardware wallet) and writes r||s (low-s)
base64url-encoded: the form ``did-jwt`` / ``did-jwt-vc`` verify. Verifying leaves the JWS layer to
joserfc (a maintained JOSE library): segment parsing, the algorithm allow-list (ES256K only: ``none``
and every other alg are refused), the ES256K signature check and the ``exp``/``nbf`` rules, judged at
the chain's time. What stays here is did:ethr: the candidate public keys recovered from the
signature are matched against the issuer's resolved DID document (its controller or a live
delegate) before joserfc checks the signature with the matching key; then the credential's status
and issuer accreditation on the
CredentialRegistry, where the credential is anchored by ``keccak256`` of the JWT. No personal data
goes on chain: only that digest, the type, the subject's DID address and the validity.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Callable

from cryptography.hazmat.primitives.asymmetric import ec
from eth_keys import keys
from eth_utils import keccak, to_checksum_address
from joserfc import errors as jose_errors
from joserfc import jwk, jws
from joserfc import jwt as jose_jwt
from joserfc.jwt import JWTClaimsRegistry

from .resolver import parse_did, resolve
from ..core.errors import CarbonChainError, is_revert
from ..core.network import chain_time
from .did import bytes32_text

VC_CONTEXT = "https://www.w3.org/2018/credentials/v1"
STATUS = {0: "None", 1: "Active", 2: "Suspended", 3: "Revoked"}
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
#: The only JWS algorithm accepted (did:ethr keys are secp256k1); joserfc refuses any other, ``none`` included.
ALGORITHMS = ("ES256K",)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def credential_digest(jwt: str) -> bytes:
    """The on-chain key of a credential: keccak256 of the JWT's UTF-8 bytes."""
    return keccak(jwt.encode("utf-8"))


def issue_jwt(
    issuer_account: Any,
    issuer_did: str,
    subject_did: str,
    credential_type: str,
    claims: dict[str, Any],
    *,
    issued_at: int | None = None,
    expires_at: int,
) -> str:
    """A signed VC-JWT. ``claims`` go into ``credentialSubject`` (off chain only)."""
    nbf = chain_time() if issued_at is None else int(issued_at)
    payload = {
        "vc": {
            "@context": [VC_CONTEXT],
            "type": ["VerifiableCredential", credential_type],
            "credentialSubject": dict(claims),
        },
        "sub": subject_did,
        "nbf": nbf,
        "exp": int(expires_at),
        "iss": issuer_did,
    }
    header = {"alg": "ES256K", "typ": "JWT"}
    signing_input = (
        _b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + _b64url(json.dumps(payload, separators=(",", ":")).encode())
    )
    digest = hashlib.sha256(signing_input.encode("ascii")).digest()
    sig = issuer_account.sign_raw_msghash(digest)
    if sig is None:
        raise CarbonChainError(f"{issuer_account.address} declined to sign")
    r = int.from_bytes(bytes(sig.r), "big")
    s = int.from_bytes(bytes(sig.s), "big")
    if s > SECP256K1_N // 2:
        s = SECP256K1_N - s
    return signing_input + "." + _b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def decode_jwt(jwt: str) -> tuple[dict[str, Any], dict[str, Any], bytes, str]:
    """Header, payload, signature and signing input of a compact JWS, NOT verified (joserfc parses it)."""
    try:
        obj = jws.extract_compact(jwt.strip().encode("utf-8"))
        payload = json.loads(obj.payload)
        if not isinstance(payload, dict):
            raise ValueError("the payload is not a JSON object")
        seg = obj.segments
        signature = _unb64url(seg["signature"].decode("ascii"))
        return dict(obj.headers()), payload, signature, (seg["header"] + b"." + seg["payload"]).decode()
    except (jose_errors.JoseError, ValueError, UnicodeError) as err:
        raise CarbonChainError(f"not a JWT: {_jose_text(err)}") from None


def _jose_text(err: Exception) -> str:
    return getattr(err, "description", None) or str(err) or type(err).__name__


def _recover_keys(signing_input: str, signature: bytes) -> dict[str, Any]:
    """The public keys (by address) an ES256K signature could come from: did:ethr documents list
    addresses, so the key joserfc checks the signature with is recovered from the signature itself."""
    if len(signature) != 64:
        return {}
    digest = hashlib.sha256(signing_input.encode("ascii")).digest()
    out: dict[str, Any] = {}
    for v in (0, 1):
        try:
            sig = keys.Signature(vrs=(v, int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")))
            pub = sig.recover_public_key_from_msg_hash(digest)
        except Exception:  # noqa: BLE001 - an invalid signature just recovers nothing
            continue
        point = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256K1(), b"\x04" + pub.to_bytes())
        out[to_checksum_address(pub.to_canonical_address())] = jwk.ECKey.import_key(point)
    return out


class _NoIssuerKey(Exception):
    """No key recovered from the signature belongs to the issuer's DID document."""


def _verify_jws(jwt: str, signing_input: str, signature: bytes, authorised: set[str], now: int) -> tuple[str, list[str]]:
    """joserfc checks the algorithm, the ES256K signature (with the issuer's key recovered from it) and
    exp/nbf at ``now``; returns the signer's address (or "") and one line per failure."""
    keys_by_address = _recover_keys(signing_input, signature)
    matching = sorted(a for a in keys_by_address if a in authorised)

    def issuer_key(_obj: Any) -> Any:
        if not matching:
            raise _NoIssuerKey()
        return keys_by_address[matching[0]]

    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", jose_errors.SecurityWarning)  # ES256K is not in JOSE's recommended set
            token = jose_jwt.decode(jwt.strip(), issuer_key, algorithms=list(ALGORITHMS))
    except jose_errors.UnsupportedAlgorithmError:
        alg = decode_jwt(jwt)[0].get("alg")
        return "", [f"unsupported alg {alg!r}: only {', '.join(ALGORITHMS)} is accepted"]
    except (_NoIssuerKey, jose_errors.BadSignatureError):
        return "", ["signature does not match any key of the issuer's DID document"]
    except jose_errors.JoseError as err:
        return "", [f"not a valid JWS: {_jose_text(err)}"]
    reasons = []
    for name in ("nbf", "exp"):  # one registry per claim, so that each failure is its own line
        try:
            JWTClaimsRegistry(now=now, leeway=0, **{name: {"essential": True}}).validate(
                {name: token.claims[name]} if name in token.claims else {})
        except jose_errors.ExpiredTokenError:
            reasons.append(f"expired (exp {int(token.claims['exp'])}, now {now})")
        except jose_errors.MissingClaimError as err:
            reasons.append(f"missing claim: {_jose_text(err)}")
        except jose_errors.JoseError as err:
            if name == "nbf":
                reasons.append(f"not valid yet (nbf {token.claims.get('nbf')}, now {now})")
            else:
                reasons.append(f"invalid {name}: {_jose_text(err)}")
    return matching[0], reasons


def _authorised_signers(doc: dict[str, Any]) -> set[str]:
    """Addresses that may sign for the DID: assertionMethod entries with a blockchainAccountId,
    and secp256k1 public keys listed there."""
    refs = set(doc.get("assertionMethod", [])) | set(doc.get("authentication", []))
    out = set()
    for vm in doc.get("verificationMethod", []):
        if vm["id"] not in refs:
            continue
        if "blockchainAccountId" in vm:
            out.add(to_checksum_address(vm["blockchainAccountId"].split(":")[-1]))
        elif "publicKeyHex" in vm and vm.get("type") == "EcdsaSecp256k1VerificationKey2019":
            try:
                out.add(to_checksum_address(keys.PublicKey.from_compressed_bytes(bytes.fromhex(vm["publicKeyHex"]))
                                            .to_canonical_address()))
            except Exception:  # noqa: BLE001 - an uncompressed or malformed key is skipped
                continue
    return out


@dataclass
class VCVerdict:
    valid: bool
    reasons: list[str] = field(default_factory=list)
    issuer: str | None = None
    subject: str | None = None
    credential_type: str | None = None
    signer: str | None = None
    status: str | None = None
    digest: bytes = b""
    payload: dict[str, Any] = field(default_factory=dict)


def verify_jwt(jwt: str, did_registry: Any, credential_registry: Any, *, now: int | None = None) -> VCVerdict:
    """Signature against the resolved DID document, validity window, on-chain status and accreditation."""
    try:
        header, payload, signature, signing_input = decode_jwt(jwt)
    except CarbonChainError as err:
        return VCVerdict(valid=False, reasons=[str(err)], digest=credential_digest(jwt))
    verdict = VCVerdict(valid=False, payload=payload, digest=credential_digest(jwt))
    # Judged by the chain's clock (the one the registry's own checks use), not this machine's.
    now = chain_time() if now is None else now
    if header.get("alg") not in ALGORITHMS:  # joserfc refuses it too; said before resolving anything
        verdict.reasons.append(f"unsupported alg {header.get('alg')!r}: only {', '.join(ALGORITHMS)} is accepted")
        return verdict
    iss, sub = payload.get("iss"), payload.get("sub")
    verdict.issuer, verdict.subject = iss, sub
    types = payload.get("vc", {}).get("type", [])
    verdict.credential_type = next((t for t in types if t != "VerifiableCredential"), None)
    try:
        parse_did(str(iss))
        doc = resolve(did_registry, str(iss), now=now)
    except CarbonChainError as err:
        verdict.reasons.append(f"issuer DID: {err}")
        return verdict
    signer, reasons = _verify_jws(jwt, signing_input, signature, _authorised_signers(doc), now)
    verdict.signer = signer or None
    verdict.reasons += reasons
    try:
        v = credential_registry.verify(parse_did(str(iss))[1], verdict.digest)
    except Exception as err:  # noqa: BLE001 - reverts on any provider; anything else re-raised
        if not is_revert(err):
            raise
        verdict.reasons.append("not anchored on the credential registry by the JWT's issuer")
        return verdict
    verdict.status = STATUS[int(v.status)]
    if verdict.status != "Active":
        verdict.reasons.append(f"credential {verdict.status.lower()} (reason {int(v.reason)})")
    if not v.issuerAccreditedAtIssuance:
        verdict.reasons.append("issuer was not accredited for this credential type when it issued")
    if str(v.issuer).lower() != parse_did(str(iss))[1].lower():
        verdict.reasons.append("anchored by another account than the JWT's issuer")
    if verdict.credential_type and bytes(v.credentialType) != bytes32_text(verdict.credential_type):
        verdict.reasons.append("anchored with another credential type")
    verdict.valid = not verdict.reasons
    return verdict


def anchor_jwt(jwt: str, credential_registry: Any, *, sender: Any) -> Any:
    """Anchors the credential's digest, type, subject and expiry (the issuer sends it)."""
    _h, payload, _s, _i = decode_jwt(jwt)
    types = payload.get("vc", {}).get("type", [])
    ctype = next((t for t in types if t != "VerifiableCredential"), None)
    if ctype is None:
        raise CarbonChainError("the credential has no specific type")
    subject = parse_did(str(payload["sub"]))[1]
    return credential_registry.issue(credential_digest(jwt), bytes32_text(ctype), subject, int(payload["exp"]),
                                     sender=sender)


# ---------------------------------------------------------------------------------------------
# The deployed registries together: what the `credential` CLI and the console use
# ---------------------------------------------------------------------------------------------


@dataclass
class AuditEntry:
    block: int
    timestamp: int
    tx: str
    event: str
    digest: str
    actor: str
    detail: str


class Credentials:
    """DIDRegistry + TrustedIssuerRegistry + CredentialRegistry of one deployment."""

    def __init__(self, dids: Any, trusted: Any, registry: Any, *, from_block: int = 0) -> None:
        self.dids, self.trusted, self.registry, self.from_block = dids, trusted, registry, from_block

    @classmethod
    def deployed(cls) -> "Credentials":
        from ..core.deployments import contract, current

        return cls(contract("DIDRegistry"), contract("TrustedIssuerRegistry"), contract("CredentialRegistry"),
                   from_block=current().block)

    def did_of(self, who: Any) -> str:
        from ape import chain

        from .resolver import did_for

        return did_for(str(getattr(who, "address", who)), chain.chain_id)

    def accredit(self, issuer: str, credential_type: str, days: int, *, sender: Any, can_accredit: bool = False) -> Any:
        from ape import chain

        from .did import DIDs

        now = int(chain.pending_timestamp)
        address = DIDs(self.dids).address_of(issuer)
        return self.trusted.accredit(address, bytes32_text(credential_type), now, now + days * 86400, can_accredit,
                                     sender=sender)

    def issue(self, issuer: Any, subject: str, credential_type: str, claims: dict[str, Any], *, days: int,
              keep: Callable[[str], None] | None = None) -> str:
        """Signs the VC-JWT as ``issuer`` and anchors it; checks accreditation before sending anything.
        ``keep`` receives the signed JWT before it is anchored (a CLI writes it to its file first, so
        that an anchored credential always has its JWT kept)."""
        from ape import chain

        from .did import DIDs

        if not credential_type.isidentifier():
            raise CarbonChainError(f"credential type must be one word: {credential_type!r}")
        if not self.trusted.isTrusted(issuer.address, bytes32_text(credential_type)):
            raise CarbonChainError(f"{issuer.address} is not accredited for {credential_type}: nothing issued")
        subject_did = subject if subject.startswith("did:") else self.did_of(DIDs(self.dids).address_of(subject))
        now = int(chain.pending_timestamp)
        jwt = issue_jwt(issuer, self.did_of(issuer), subject_did, credential_type, {"id": subject_did, **claims},
                        issued_at=now - 1, expires_at=now + days * 86400)
        if keep is not None:
            keep(jwt)
        anchor_jwt(jwt, self.registry, sender=issuer)
        return jwt

    def verify(self, jwt: str) -> VCVerdict:
        """Judged at the chain's time (the time the registry's own checks use)."""
        from ape import chain

        return verify_jwt(jwt, self.dids, self.registry, now=int(chain.pending_timestamp))

    def issuer_of(self, jwt_or_digest: str) -> str | None:
        """The issuer's address named by a JWT (None for a bare digest)."""
        text = jwt_or_digest.strip()
        if text.count(".") != 2:
            return None
        _h, payload, _s, _i = decode_jwt(text)
        return parse_did(str(payload.get("iss")))[1]

    def digest_of(self, jwt_or_digest: str) -> bytes:
        text = jwt_or_digest.strip()
        if text.count(".") == 2:
            return credential_digest(text)
        from ..core.hashing import to_bytes32

        return to_bytes32(text)

    def audit(self, subject: str) -> list[AuditEntry]:
        """Everything that happened to the subject's credentials, oldest first (no personal data)."""
        from ape import chain

        from .did import DIDs

        address = DIDs(self.dids).address_of(subject)
        head = chain.blocks.head.number + 1
        entries: list[AuditEntry] = []
        digests: set[tuple[str, bytes]] = set()  # (issuer, digest): a credential belongs to its issuer

        def add(log: Any, event: str, digest: bytes, actor: str, detail: str) -> None:
            block = int(log.block_number)
            entries.append(AuditEntry(block, int(chain.blocks[block].timestamp), str(log.transaction_hash), event,
                                      "0x" + digest.hex(), actor, detail))

        for lg in self.registry.CredentialIssued.range(self.from_block, head, search_topics={"subject": address}):
            digests.add((str(lg.issuer).lower(), bytes(lg.digest)))
            ctype = bytes(lg.credentialType).rstrip(b"\x00").decode("utf-8", "replace")
            add(lg, "issued", bytes(lg.digest), str(lg.issuer), ctype)
        for lg in self.registry.CredentialVerified.range(self.from_block, head, search_topics={"subject": address}):
            add(lg, "verified", bytes(lg.digest), str(lg.verifier), "valid" if lg.valid else "NOT valid")
        for name, event in (("suspended", "CredentialSuspended"), ("reinstated", "CredentialReinstated"),
                            ("revoked", "CredentialRevoked")):
            for lg in getattr(self.registry, event).range(self.from_block, head):
                if (str(getattr(lg, "issuer", lg.by)).lower(), bytes(lg.digest)) in digests:
                    reason = f"reason {int(lg.reason)}" if hasattr(lg, "reason") else ""
                    add(lg, name, bytes(lg.digest), str(lg.by), reason)
        return sorted(entries, key=lambda e: (e.block, e.tx))
