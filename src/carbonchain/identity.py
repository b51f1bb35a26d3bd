"""did:ethr identities on the ERC-1056 DIDRegistry: owners, delegates, attributes, signed (relayed)
changes. The signed-message format is the standard's:

    keccak256(0x19 0x00 <registry> <nonce[owner]> <identity> "<action>" <args, tightly packed>)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_utils import keccak, to_canonical_address

from .errors import CarbonChainError

DELEGATE_VERI_KEY = "veriKey"
DELEGATE_SIG_AUTH = "sigAuth"


def bytes32_text(text: str) -> bytes:
    """An ERC-1056 name or delegate type: ASCII, right-padded to 32 bytes."""
    raw = text.encode("utf-8")
    if len(raw) > 32:
        raise CarbonChainError(f"{text!r} is longer than 32 bytes")
    return raw.ljust(32, b"\x00")


def _packed(kind: str, value: Any) -> bytes:
    if kind == "address":
        return to_canonical_address(str(getattr(value, "address", value)))
    if kind == "uint256":
        return int(value).to_bytes(32, "big")
    if kind == "bytes32":
        raw = bytes(value)
        if len(raw) != 32:
            raise CarbonChainError("a bytes32 argument must be 32 bytes")
        return raw
    if kind == "bytes":
        return bytes(value)
    raise ValueError(kind)


#: Argument types of each signed action, in order.
SIGNED_ACTIONS: dict[str, tuple[str, ...]] = {
    "changeOwner": ("address",),
    "addDelegate": ("bytes32", "address", "uint256"),
    "revokeDelegate": ("bytes32", "address"),
    "setAttribute": ("bytes32", "bytes", "uint256"),
    "revokeAttribute": ("bytes32", "bytes"),
}


def signed_message_hash(registry: str, owner_nonce: int, identity: str, action: str, *args: Any) -> bytes:
    """The hash an owner signs (raw, no EIP-191 prefix) to authorise ``action`` on ``identity``."""
    kinds = SIGNED_ACTIONS[action]
    if len(kinds) != len(args):
        raise CarbonChainError(f"{action} takes {len(kinds)} arguments")
    data = b"\x19\x00" + _packed("address", registry) + _packed("uint256", owner_nonce) + _packed("address", identity)
    data += action.encode("ascii") + b"".join(_packed(k, a) for k, a in zip(kinds, args))
    return keccak(data)


@dataclass(frozen=True)
class RawSignature:
    v: int
    r: bytes
    s: bytes


def sign_hash(account: Any, digest: bytes) -> RawSignature:
    """Signs a raw 32-byte hash with an Ape account (test accounts and keyfile accounts both can)."""
    sig = account.sign_raw_msghash(digest)
    if sig is None:
        raise CarbonChainError(f"account {account.address} declined to sign")
    return RawSignature(v=int(sig.v), r=bytes(sig.r).rjust(32, b"\x00"), s=bytes(sig.s).rjust(32, b"\x00"))


def sign_action(registry: Any, owner: Any, identity: str, action: str, *args: Any) -> RawSignature:
    """``owner`` signs ``action`` for ``identity`` against the registry's current nonce."""
    identity_addr = str(getattr(identity, "address", identity))
    current = registry.identityOwner(identity_addr)
    digest = signed_message_hash(str(registry.address), owner_nonce(registry, current), identity_addr, action, *args)
    return sign_hash(owner, digest)


def owner_nonce(registry: Any, owner: str) -> int:
    """The registry's ``nonce(owner)`` (Ape's contract objects have a ``nonce`` property of their
    own, the account nonce, so the view is called by name)."""
    return int(registry.call_view_method("nonce", str(getattr(owner, "address", owner))))
