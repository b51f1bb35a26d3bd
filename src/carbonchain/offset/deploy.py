"""The offset domain's contracts, in dependency order, for the composed deployer (carbonchain.deploy).

Both are AccessControlDefaultAdminRules contracts: (adminDelay, admin, role holders..., links).
On local chains the admin holds every role and the delay is 0; elsewhere the delay is
``LIVE_ADMIN_DELAY`` (an admin delay of 0 is not allowed on non-local chains).
"""

from __future__ import annotations

from typing import Any

from ..core.deployer import ContractSpec

LOCAL_CHAIN_IDS = (31337, 1337)
LIVE_ADMIN_DELAY = 2 * 86400


def admin_delay() -> int:
    from ape import chain

    return 0 if chain.chain_id in LOCAL_CHAIN_IDS else LIVE_ADMIN_DELAY


def _registry_args(admin: str, _deployer: str, _deployed: dict[str, Any]) -> list[Any]:
    return [admin_delay(), admin, admin, admin]  # retirer, reverser


def _programme_args(admin: str, _deployer: str, deployed: dict[str, Any]) -> list[Any]:
    return [admin_delay(), admin, admin, admin,  # certifier, operator
            deployed["RetirementRegistry"].address, deployed["TrustedIssuerRegistry"].address]


CONTRACTS = [
    ContractSpec("RetirementRegistry", _registry_args),
    ContractSpec("NeutralityProgramme", _programme_args),
]
