"""The identity domain's reference contracts, from their authors' npm artifacts: the ERC-1056
registry (ethr-did-registry) and EAS, deployed beside ours in tests and benchmarks."""

from __future__ import annotations

from typing import Any

from ..core.npm import npm_artifact_container


def reference_did_registry_container() -> Any:
    """The reference EthereumDIDRegistry (npm ethr-did-registry 1.3.0), as compiled by its authors."""
    return npm_artifact_container("ethr-did-registry", "contracts/EthereumDIDRegistry.sol/EthereumDIDRegistry.json",
                                  "EthereumDIDRegistry")


def eas_containers() -> tuple[Any, Any]:
    """(SchemaRegistry, EAS) from npm @ethereum-attestation-service/eas-contracts 1.9.0."""
    pkg = "@ethereum-attestation-service/eas-contracts"
    return (
        npm_artifact_container(pkg, "contracts/SchemaRegistry.sol/SchemaRegistry.json", "SchemaRegistry"),
        npm_artifact_container(pkg, "contracts/EAS.sol/EAS.json", "EAS"),
    )
