"""Deploys every contract the project has, wires the roles, writes the deployments file.

Re-running against the same chain reuses what is deployed (checked to still be there and built
from the same artifact) unless ``fresh`` is set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .deployments import Deployment, artifact_hash, is_live


@dataclass
class ContractSpec:
    name: str
    args: Callable[[Any, dict[str, Any]], list[Any]]  # (admin, deployed so far) -> constructor args


# In dependency order. Later issues append their contracts here.
CONTRACTS: list[ContractSpec] = [
    ContractSpec("DocumentRegistry", lambda admin, _deployed: [admin]),
]


@dataclass
class DeployResult:
    deployment: Deployment
    deployed: list[str]
    reused: list[str]


def deploy_all(
    deployer: Any,
    *,
    admin: str | None = None,
    fresh: bool = False,
    log: Callable[[str], None] = lambda _msg: None,
) -> DeployResult:
    """Deploys (or reuses) every contract in :data:`CONTRACTS` from ``deployer``."""
    from ape import chain, project

    admin_address = admin or deployer.address
    chain_id = chain.chain_id
    previous = None if fresh else Deployment.load(chain_id)
    dep = Deployment(chain_id=chain_id)
    deployed: list[str] = []
    reused: list[str] = []
    instances: dict[str, Any] = {}
    for spec in CONTRACTS:
        container = getattr(project, spec.name)
        old = previous.contracts.get(spec.name) if previous else None
        if old and is_live(old, container, previous, spec.name):
            instances[spec.name] = container.at(old)
            dep.artifacts[spec.name] = previous.artifacts[spec.name]
            reused.append(spec.name)
            log(f"{spec.name}: reusing {old}")
        else:
            instance = deployer.deploy(container, *spec.args(admin_address, instances))
            instances[spec.name] = instance
            dep.artifacts[spec.name] = artifact_hash(container)
            deployed.append(spec.name)
            log(f"{spec.name}: deployed at {instance.address}")
        dep.contracts[spec.name] = instances[spec.name].address
    dep.block = previous.block if (previous and not deployed) else chain.blocks.head.number
    dep.save()
    return DeployResult(deployment=dep, deployed=deployed, reused=reused)
