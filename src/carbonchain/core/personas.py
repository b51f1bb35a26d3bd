"""The people of a local chain: one table of persona names -> test account index, shared by every
CLI (``--account broker``), ``ape console`` and the demo, so the README's names work everywhere.

Persona names resolve only on local chains (anvil, the in-process EVM), whose test accounts come
from a public mnemonic; elsewhere ``--account`` takes an Ape account alias.
"""

from __future__ import annotations

#: name -> test account index. Several names may share an account (one person, several hats).
PERSONAS: dict[str, int] = {
    "admin": 0,
    "deployer": 0,
    "manager": 0,  # fund manager; anchors and signs fund contracts
    "custodian": 1,  # custodian bank; also the exchange confirming allowance transfers
    "investor": 2,
    "platform": 3,  # the sales platform relaying signatures
    "financier": 4,  # the securities firm's carbon desk
    "enterprise": 5,  # repo counterparty, neutrality programme owner
    "operator-a": 6,
    "oracle-op": 6,
    "operator-b": 7,
    "operator-c": 8,
    "operator-d": 9,
    "risk": 10,
    "risk-officer": 10,
    "bank": 11,
    "broker": 12,
    "holder": 13,  # a credential holder (the identity story's investor)
    "other-broker": 14,
    "verifier": 14,
    "risk-officer-2": 15,
    "regulator": 15,
}


def persona_index(name: str) -> int | None:
    """The test account index of a persona name (case-insensitive), or None."""
    return PERSONAS.get(name.strip().lower())


def persona_names(index: int) -> list[str]:
    return [n for n, i in PERSONAS.items() if i == index]
