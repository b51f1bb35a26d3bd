"""The pieces every domain's deployer uses: a contract spec, the context passed to a domain's
post-deploy hook, and the hand-over of roles from the deploying account to the admin."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from .deployments import Deployment, artifact_hash, code_hash, is_live


#: Chain ids of local development chains (anvil, Ape's in-process EVM, Hardhat).
LOCAL_CHAIN_IDS = (1337, 31337)
#: Default-admin transfer delay (OpenZeppelin AccessControlDefaultAdminRules) off local chains.
ADMIN_DELAY = 2 * 86_400


def is_local_chain() -> bool:
    from ape import chain

    return chain.chain_id in LOCAL_CHAIN_IDS


def admin_delay(default: int = ADMIN_DELAY) -> int:
    """The default-admin transfer delay a new contract gets: 0 on local chains, ``default`` elsewhere."""
    return 0 if is_local_chain() else default


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
    redeployed: set[str] = field(default_factory=set)  # CONTRACTS deployed (not reused) in this run


class _Reads(dict):
    """The instances so far, noting which ones a spec's constructor arguments read."""

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__(data)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)


def dependencies(ctx: DeployContext, spec: ContractSpec) -> set[str]:
    """The contracts whose addresses ``spec``'s constructor takes (read from its ``args``)."""
    reads = _Reads(ctx.instances)
    spec.args(ctx.admin, ctx.deployer.address, reads)
    return reads.read


def deploy_or_reuse(ctx: DeployContext, spec: ContractSpec) -> bool:
    """Deploys ``spec`` unless the previous deployment's instance is still live and none of the
    contracts its constructor takes was redeployed in this run; returns True if deployed."""
    from ape import project

    container = getattr(project, spec.name)
    prev = ctx.previous
    old = prev.contracts.get(spec.name) if prev else None
    dep = ctx.deployment
    fresh = False
    stale = dependencies(ctx, spec) & ctx.redeployed
    if stale and old:
        ctx.log(f"{spec.name}: redeploying, {', '.join(sorted(stale))} changed")
    if old and not stale and is_live(old, container, prev, spec.name):
        ctx.instances[spec.name] = container.at(old)
        dep.artifacts[spec.name] = prev.artifacts[spec.name]
        ctx.log(f"{spec.name}: reusing {old}")
    else:
        instance = ctx.deployer.deploy(container, *spec.args(ctx.admin, ctx.deployer.address, ctx.instances))
        ctx.instances[spec.name] = instance
        dep.artifacts[spec.name] = artifact_hash(container)
        fresh = True
        ctx.redeployed.add(spec.name)
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
