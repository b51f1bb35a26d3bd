"""Identity (``contracts/identity/``): ERC-1056 did:ethr DIDs and their resolution, trusted-issuer
accreditation, credential status and W3C VC-JWTs, with the audit trail a regulator reads."""

from .did import (
    DELEGATE_SIG_AUTH,
    DELEGATE_VERI_KEY,
    KEY_ALGORITHMS,
    KEY_ENCODINGS,
    KEY_PURPOSES,
    DIDs,
    RawSignature,
    bytes32_text,
    owner_nonce,
    sign_action,
    sign_hash,
    signed_message_hash,
)
from .resolver import change_log, did_for, parse_did, resolve
from .vc import AuditEntry, Credentials, VCVerdict, anchor_jwt, credential_digest, decode_jwt, issue_jwt, verify_jwt

__all__ = [
    "DELEGATE_SIG_AUTH", "DELEGATE_VERI_KEY", "KEY_ALGORITHMS", "KEY_ENCODINGS", "KEY_PURPOSES", "DIDs",
    "RawSignature", "bytes32_text", "owner_nonce", "sign_action", "sign_hash", "signed_message_hash",
    "change_log", "did_for", "parse_did", "resolve",
    "AuditEntry", "Credentials", "VCVerdict", "anchor_jwt", "credential_digest", "decode_jwt", "issue_jwt",
    "verify_jwt",
]
