"""Reference contracts shipped as npm artifacts, deployed beside ours for side-by-side checks and
gas figures (never part of a CarbonChain deployment)."""

from __future__ import annotations

import json
from typing import Any

from .deployments import project_root
from .errors import CarbonChainError


def reference_did_registry_container() -> Any:
    """The reference EthereumDIDRegistry (npm ethr-did-registry 1.3.0), as compiled by its authors."""
    from ape.contracts import ContractContainer
    from ethpm_types import ContractType

    path = (project_root() / "node_modules" / "ethr-did-registry" / "artifacts" / "contracts"
            / "EthereumDIDRegistry.sol" / "EthereumDIDRegistry.json")
    if not path.is_file():
        raise CarbonChainError(f"{path} is missing: run `make setup`")
    art = json.loads(path.read_text())
    ct = ContractType.model_validate(
        {
            "contractName": "EthereumDIDRegistry",
            "abi": art["abi"],
            "deploymentBytecode": {"bytecode": art["bytecode"]},
            "runtimeBytecode": {"bytecode": art["deployedBytecode"]},
        }
    )
    return ContractContainer(ct)
