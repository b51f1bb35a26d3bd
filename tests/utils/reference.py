"""Reference contracts shipped as npm artifacts, deployed for side-by-side checks."""

import json

from ape.contracts import ContractContainer
from ethpm_types import ContractType

from tests.utils.docs import ROOT

ERC1056_ARTIFACT = (
    ROOT / "node_modules" / "ethr-did-registry" / "artifacts" / "contracts" / "EthereumDIDRegistry.sol"
    / "EthereumDIDRegistry.json"
)


def reference_did_registry_container() -> ContractContainer:
    """The reference EthereumDIDRegistry (npm ethr-did-registry 1.3.0), as compiled by its authors."""
    art = json.loads(ERC1056_ARTIFACT.read_text())
    ct = ContractType.model_validate(
        {
            "contractName": "EthereumDIDRegistry",
            "abi": art["abi"],
            "deploymentBytecode": {"bytecode": art["bytecode"]},
            "runtimeBytecode": {"bytecode": art["deployedBytecode"]},
        }
    )
    return ContractContainer(ct)
