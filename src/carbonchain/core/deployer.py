"""The pieces every domain's deployer uses: a contract spec, the context passed to a domain's
post-deploy hook, and the hand-over of roles from the deploying account to the admin."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from .deployments import Deployment, artifact_hash, code_hash, is_live


@dataclass
class ContractSpec:
    """One contract of a domain: its name in the project and its constructor arguments."""

    name: str
    args: Callable[[str, str, dict[str, Any]], list[Any]]  # (admin, deployer, deployed so far) -> constructor args


@dataclass
class DeployContext:
    """What a domain's ``after_deploy`` hook receives."""

    deployer: Any
    admin: str
    instances: dict[str, Any]
    previous: Deployment | None
    deployment: Deployment
    log: Callable[[str], None]
    options: dict[str, Any] = field(default_factory=dict)
    deployed: list[str] = field(default_factory=list)  # names the hook deployed itself


def deploy_or_reuse(ctx: DeployContext, spec: ContractSpec) -> bool:
    """Deploys ``spec`` unless the previous deployment's instance is still live; returns True if deployed."""
    from ape import project

    container = getattr(project, spec.name)
    prev = ctx.previous
    old = prev.contracts.get(spec.name) if prev else None
    dep = ctx.deployment
    fresh = False
    if old and is_live(old, container, prev, spec.name):
        ctx.instances[spec.name] = container.at(old)
        dep.artifacts[spec.name] = prev.artifacts[spec.name]
        ctx.log(f"{spec.name}: reusing {old}")
    else:
        instance = ctx.deployer.deploy(container, *spec.args(ctx.admin, ctx.deployer.address, ctx.instances))
        ctx.instances[spec.name] = instance
        dep.artifacts[spec.name] = artifact_hash(container)
        fresh = True
        ctx.log(f"{spec.name}: deployed at {instance.address}")
    dep.contracts[spec.name] = ctx.instances[spec.name].address
    dep.code_hashes[spec.name] = code_hash(ctx.instances[spec.name].address)
    return fresh


def hand_over(contract: Any, deployer: Any, admin: str, roles: Sequence[str], log: Callable[[str], None]) -> None:
    """Gives ``admin`` the deployer's roles on ``contract`` and renounces them (no-op when equal)."""
    if admin.lower() == deployer.address.lower():
        return
    default = contract.DEFAULT_ADMIN_ROLE()
    if not contract.hasRole(default, deployer.address):
        return
    for name in roles:
        role = getattr(contract, name)()
        contract.grantRole(role, admin, sender=deployer)
        contract.renounceRole(role, deployer.address, sender=deployer)
    contract.grantRole(default, admin, sender=deployer)
    contract.renounceRole(default, deployer.address, sender=deployer)
    log(f"{getattr(contract.contract_type, 'name', 'contract')}: roles handed over to {admin}")
