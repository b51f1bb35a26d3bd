"""Contracts shipped as compiled artifacts in npm packages (reference implementations deployed
beside ours for side-by-side checks and gas figures; never part of a CarbonChain deployment)."""

from __future__ import annotations

import json
from typing import Any

from .deployments import project_root
from .errors import CarbonChainError


def npm_artifact_container(package: str, artifact: str, name: str) -> Any:
    """An Ape contract container for a Hardhat artifact shipped in an npm package."""
    from ape.contracts import ContractContainer
    from ethpm_types import ContractType

    path = project_root() / "node_modules" / package / "artifacts" / artifact
    if not path.is_file():
        raise CarbonChainError(f"{path} is missing: run `make setup`")
    art = json.loads(path.read_text())
    ct = ContractType.model_validate(
        {
            "contractName": name,
            "abi": art["abi"],
            "deploymentBytecode": {"bytecode": art["bytecode"]},
            "runtimeBytecode": {"bytecode": art["deployedBytecode"]},
        }
    )
    return ContractContainer(ct)
