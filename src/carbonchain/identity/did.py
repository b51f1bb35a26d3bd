"""did:ethr identities on the ERC-1056 DIDRegistry: owners, delegates, attributes, signed (relayed)
changes. The signed-message format is the standard's:

    keccak256(0x19 0x00 <registry> <nonce[owner]> <identity> "<action>" <args, tightly packed>)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_utils import keccak, to_canonical_address

from ..core.errors import CarbonChainError

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


DAY = 86_400
KEY_PURPOSES = ("veriKey", "sigAuth", "enc")
KEY_ALGORITHMS = ("Secp256k1", "Ed25519", "X25519", "RSA")
KEY_ENCODINGS = ("hex", "base58", "base64", "pem")


class DIDs:
    """did:ethr identities on one deployed DIDRegistry."""

    def __init__(self, registry: Any) -> None:
        self.registry = registry

    @classmethod
    def deployed(cls) -> "DIDs":
        from ..core.deployments import contract

        return cls(contract("DIDRegistry"))

    def did_of(self, who: Any) -> str:
        from ape import chain

        from .resolver import did_for

        return did_for(str(getattr(who, "address", who)), chain.chain_id)

    def address_of(self, did_or_address: str) -> str:
        from eth_utils import is_address, to_checksum_address

        from .resolver import parse_did

        if did_or_address.startswith("did:"):
            from ape import chain

            from .resolver import check_chain

            check_chain(did_or_address, chain.chain_id)
            return parse_did(did_or_address)[1]
        if is_address(did_or_address):
            return to_checksum_address(did_or_address)
        from ..core.network import address_of  # a persona name, test:N or an Ape account alias

        return address_of(did_or_address)

    def document(self, did_or_address: str, *, now: int | None = None) -> dict[str, Any]:
        from .resolver import resolve

        did = did_or_address if did_or_address.startswith("did:") else self.did_of(self.address_of(did_or_address))
        return resolve(self.registry, did, now=now)

    def owner(self, identity: str) -> str:
        return str(self.registry.identityOwner(self.address_of(identity)))

    def _check_owner(self, identity: str, sender: Any) -> str:
        address = self.address_of(identity)
        owner = self.owner(address)
        if owner.lower() != sender.address.lower():
            raise CarbonChainError(f"{sender.address} is not the owner of {self.did_of(address)} (owner: {owner}): nothing sent")
        return address

    def add_service(self, identity: str, service_type: str, endpoint: str, *, sender: Any, validity_days: int = 365) -> Any:
        if not service_type.isidentifier():
            raise CarbonChainError(f"service type must be one word (letters, digits, _): {service_type!r}")
        address = self._check_owner(identity, sender)
        return self.registry.setAttribute(address, bytes32_text(f"did/svc/{service_type}"), endpoint.encode("utf-8"),
                                          validity_days * DAY, sender=sender)

    def add_key(
        self, identity: str, public_key: bytes, *, sender: Any, algorithm: str = "Secp256k1", purpose: str = "veriKey",
        encoding: str = "hex", validity_days: int = 365,
    ) -> Any:
        if algorithm not in KEY_ALGORITHMS or purpose not in KEY_PURPOSES or encoding not in KEY_ENCODINGS:
            raise CarbonChainError(
                f"key must be algorithm {KEY_ALGORITHMS}, purpose {KEY_PURPOSES}, encoding {KEY_ENCODINGS}")
        if not public_key:
            raise CarbonChainError("the public key is empty")
        address = self._check_owner(identity, sender)
        name = bytes32_text(f"did/pub/{algorithm}/{purpose}/{encoding}")
        return self.registry.setAttribute(address, name, public_key, validity_days * DAY, sender=sender)

    def add_delegate(
        self, identity: str, delegate: str, *, sender: Any, delegate_type: str = "veriKey", validity_days: int = 365
    ) -> Any:
        if delegate_type not in ("veriKey", "sigAuth"):
            raise CarbonChainError("delegate type must be veriKey or sigAuth")
        address = self._check_owner(identity, sender)
        return self.registry.addDelegate(address, bytes32_text(delegate_type), self.address_of(delegate),
                                         validity_days * DAY, sender=sender)

    def change_owner(self, identity: str, new_owner: str, *, sender: Any) -> Any:
        address = self._check_owner(identity, sender)
        return self.registry.changeOwner(address, self.address_of(new_owner), sender=sender)

    def public_key_of(self, account: Any) -> bytes:
        """The compressed secp256k1 public key of an Ape account that exposes its key (test accounts)."""
        from eth_keys import keys

        key = getattr(account, "private_key", None)
        if key is None:
            raise CarbonChainError(f"{account.address}: give the public key with --public-key")
        raw = bytes.fromhex(str(key)[2:] if str(key).startswith("0x") else str(key))
        return keys.PrivateKey(raw).public_key.to_compressed_bytes()
