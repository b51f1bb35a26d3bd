"""EIP-712 typed data for the CarbonChain contracts (all use OpenZeppelin's EIP712 with a
name, version "1", the chain id and the contract address as domain)."""

from __future__ import annotations

from typing import Any, Sequence

DOMAIN_TYPES = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]


def typed_message(
    *,
    domain_name: str,
    chain_id: int,
    contract: str,
    primary_type: str,
    fields: Sequence[tuple[str, str]],
    message: dict[str, Any],
) -> dict[str, Any]:
    """The full typed-data document that ``eth_account.messages.encode_typed_data`` signs."""
    return {
        "types": {
            "EIP712Domain": DOMAIN_TYPES,
            primary_type: [{"name": n, "type": t} for n, t in fields],
        },
        "primaryType": primary_type,
        "domain": {"name": domain_name, "version": "1", "chainId": chain_id, "verifyingContract": contract},
        "message": message,
    }
