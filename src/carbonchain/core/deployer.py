"""The pieces every domain's deployer uses: a contract spec, the context passed to a domain's
post-deploy hook, and the hand-over of roles from the deploying account to the admin."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

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
    """One contract of a domain: its name in the project and its constructor arguments.

    ``roles`` marks an ``AccessControlDefaultAdminRules`` contract whose constructor starts with
    ``(uint48 adminDelay, address admin, <one holder per role, in this order>...)``: the deployer
    fills those from its role-holder mapping (role name -> address) and appends ``args(...)``.
    """

    name: str
    args: Callable[[str, str, dict[str, Any]], list[Any]]  # (admin, deployer, deployed so far) -> constructor args
    roles: tuple[str, ...] | None = None


def constructor_args(spec: "ContractSpec", admin: str, deployer: str, deployed: dict[str, Any], *,
                     roles: Mapping[str, str] | None = None, admin_delay: int = 0) -> list[Any]:
    """The constructor arguments of ``spec``: for an admin-rules contract (``spec.roles``) the head
    ``(adminDelay, admin, <role holders>)`` (a role missing from ``roles`` goes to ``admin``), then ``args``."""
    head = [] if spec.roles is None else [admin_delay, admin, *((roles or {}).get(r, admin) for r in spec.roles)]
    return head + list(spec.args(admin, deployer, deployed))


def no_args(_admin: str, _deployer: str, _deployed: dict[str, Any]) -> list[Any]:
    """For a contract whose constructor takes nothing beyond the admin-rules head."""
    return []


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
    roles: dict[str, str] = field(default_factory=dict)  # role name -> holder (see role_holders)
    admin_delay: int = 0  # DEFAULT_ADMIN_ROLE transfer delay of the admin-rules contracts (ContractSpec.roles)


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


def role_holders(
    roles: Mapping[str, str] | None, admin: str, chain_id: int, specs: Sequence[ContractSpec]
) -> dict[str, str]:
    """The holder of every role the specs name, from ``roles`` (role name -> address): each role its
    own holder. A role not given goes to ``admin`` on local chains and is an error elsewhere."""
    from .errors import CarbonChainError

    given = {k.upper(): v for k, v in (roles or {}).items()}
    needed = [r for spec in specs for r in (spec.roles or ())]
    unknown = sorted(set(given) - set(needed))
    if unknown:
        raise CarbonChainError(
            f"unknown role(s) {', '.join(unknown)}: the deployer assigns {', '.join(sorted(set(needed)))}"
        )
    missing = sorted({r for r in needed if r not in given})
    if missing and chain_id not in LOCAL_CHAIN_IDS:
        raise CarbonChainError(
            f"chain {chain_id} is not a local chain: give a holder for {', '.join(missing)} "
            "(--role NAME=ADDRESS or --roles-file)"
        )
    return {r: given.get(r, admin) for r in needed}


def check_admin_delay(delay: int | None, chain_id: int) -> int:
    """The admin-transfer delay (seconds): ``None`` -> 0 on local chains, :data:`ADMIN_DELAY` elsewhere;
    an explicit 0 is refused outside local chains."""
    from .errors import CarbonChainError

    if delay is None:
        return 0 if chain_id in LOCAL_CHAIN_IDS else ADMIN_DELAY
    admin_delay = delay
    if not 0 <= admin_delay < 2**48:
        raise CarbonChainError(f"admin delay must be 0..2^48-1 seconds, got {admin_delay}")
    if admin_delay == 0 and chain_id not in LOCAL_CHAIN_IDS:
        raise CarbonChainError(
            f"chain {chain_id} is not a local chain: an admin delay of 0 is not allowed (--admin-delay)"
        )
    return admin_delay


def parse_roles(pairs: Sequence[str] = (), roles_file: str | None = None) -> dict[str, str]:
    """Role holders from a JSON file ({name: address}) and NAME=ADDRESS pairs (pairs win)."""
    import json
    from pathlib import Path

    from eth_utils import is_address

    from .errors import CarbonChainError

    out: dict[str, str] = {}
    if roles_file:
        try:
            data = json.loads(Path(roles_file).read_text())
        except (OSError, json.JSONDecodeError) as err:
            raise CarbonChainError(f"roles file {roles_file}: {err}") from None
        if not isinstance(data, dict):
            raise CarbonChainError(f"roles file {roles_file}: expected a JSON object of role name -> address")
        out.update({str(k).upper(): str(v) for k, v in data.items()})
    for pair in pairs:
        name, sep, address = pair.partition("=")
        if not sep:
            raise CarbonChainError(f"--role {pair!r}: expected NAME=ADDRESS")
        out[name.strip().upper()] = address.strip()
    for name, address in out.items():
        if not is_address(address):
            raise CarbonChainError(f"role {name}: {address!r} is not an address")
    return out


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
        args = constructor_args(spec, ctx.admin, ctx.deployer.address, ctx.instances, roles=ctx.roles,
                                admin_delay=ctx.admin_delay)
        instance = ctx.deployer.deploy(container, *args)
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
