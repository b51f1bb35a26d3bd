"""The deployments file: ``deployments/<chain-id>.json``.

    {"chain_id": 31337, "block": N (the block of the deployment's first transaction), "contracts": {"DocumentRegistry": "0x..", ...},
     "price_feeds": {"CEA": "0x..", ...},
     "artifacts": {"DocumentRegistry": "<keccak of the deployment bytecode>", ...},
     "code_hashes": {"DocumentRegistry": "<keccak of its runtime code>", "feed:CEA": "...", ...}}

An address is only trusted while the chain still has exactly the code deployed there (a restarted
local node may hold another contract at the same address) and that code was built from the same
artifact: a restarted node or a changed contract means a fresh deploy, never a stale address.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CarbonChainError


def project_root() -> Path:
    """The project folder (where ape-config.yaml is), or ``$CARBONCHAIN_ROOT``."""
    if env := os.environ.get("CARBONCHAIN_ROOT"):
        return Path(env)
    here = Path(__file__).resolve()
    for parent in [Path.cwd(), *here.parents]:
        if (parent / "ape-config.yaml").is_file():
            return parent
    return Path.cwd()


def deployments_dir() -> Path:
    """``deployments/`` in the project, or ``$CARBONCHAIN_DEPLOYMENTS`` (tests point it elsewhere)."""
    if env := os.environ.get("CARBONCHAIN_DEPLOYMENTS"):
        return Path(env)
    return project_root() / "deployments"


@dataclass
class Deployment:
    chain_id: int
    block: int = 0
    contracts: dict[str, str] = field(default_factory=dict)
    price_feeds: dict[str, str] = field(default_factory=dict)
    artifacts: dict[str, str] = field(default_factory=dict)
    code_hashes: dict[str, str] = field(default_factory=dict)  # contract (or "feed:CEA") -> runtime code keccak

    @property
    def path(self) -> Path:
        return deployments_dir() / f"{self.chain_id}.json"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"chain_id": self.chain_id, "block": self.block, "contracts": dict(self.contracts)}
        if self.price_feeds:
            data["price_feeds"] = dict(self.price_feeds)
        data["artifacts"] = dict(self.artifacts)
        data["code_hashes"] = dict(self.code_hashes)
        return data

    def save(self) -> Path:
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=2) + "\n")
        tmp.replace(path)  # atomic: a reader never sees half a file
        return path

    @classmethod
    def load(cls, chain_id: int) -> "Deployment | None":
        path = deployments_dir() / f"{chain_id}.json"
        if not path.is_file():
            return None
        try:
            data = json.loads(path.read_text())
            return cls(
                chain_id=int(data["chain_id"]),
                block=int(data.get("block", 0)),
                contracts=dict(data.get("contracts", {})),
                price_feeds=dict(data.get("price_feeds", {})),
                artifacts=dict(data.get("artifacts", {})),
                code_hashes=dict(data.get("code_hashes", {})),
            )
        except (ValueError, KeyError, TypeError) as err:
            raise CarbonChainError(f"{path} is not a valid deployments file: {err}") from err


def artifact_hash(container: Any) -> str:
    """Keccak-256 of a contract's compiled deployment bytecode (changes when its source does)."""
    from .hashing import keccak256

    code = container.contract_type.deployment_bytecode.bytecode or "0x"
    return "0x" + keccak256(bytes.fromhex(code[2:] if code.startswith("0x") else code)).hex()


def code_hash(address: str) -> str | None:
    """Keccak-256 of the runtime code at ``address`` on the connected chain (None: no code)."""
    from ape import chain

    from .hashing import keccak256

    code = chain.provider.get_code(address)
    if not code or len(code) == 0:
        return None
    return "0x" + keccak256(bytes(code)).hex()


def is_live(address: str, container: Any, deployment: Deployment, name: str, key: str | None = None) -> bool:
    """Whether ``address`` still holds the very code that was deployed there (same runtime code
    hash as recorded; a restarted node may have other code at the same address) and that code was
    built from the current artifact of ``name``."""
    recorded = deployment.code_hashes.get(key or name)
    if recorded is None or code_hash(address) != recorded:
        return False
    return deployment.artifacts.get(name) == artifact_hash(container)


def current() -> Deployment:
    """The deployment on the connected chain; a clear error if there is none."""
    from ape import chain

    chain_id = chain.chain_id
    dep = Deployment.load(chain_id)
    if dep is None or not dep.contracts:
        raise CarbonChainError(f"nothing deployed on chain {chain_id}: run `ape run deploy` first")
    return dep


def contract(name: str):
    """The deployed contract ``name`` on the connected chain, checked to still be there."""
    from ape import chain, project

    dep = current()
    if name not in dep.contracts:
        raise CarbonChainError(f"{name} is not in {dep.path}: run `ape run deploy`")
    address = dep.contracts[name]
    container = getattr(project, name)
    if not is_live(address, container, dep, name):
        raise CarbonChainError(
            f"{name} at {address} is gone or outdated on chain {chain.chain_id} "
            "(node restarted or contract changed): run `ape run deploy`"
        )
    return container.at(address)
