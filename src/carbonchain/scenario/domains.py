"""The domains whose steps the scenario runner composes (the runner knows nothing else of them).

A domain contributes steps by listing its ``carbonchain.<domain>.steps`` module here; the module
registers its handlers with ``carbonchain.core.steps.step`` when imported.
"""

from __future__ import annotations

from typing import Any

#: Step modules, imported before a scenario file is validated (the schema is composed from them).
STEP_MODULES: tuple[str, ...] = (
    "carbonchain.scenario.steps",
    "carbonchain.notary.steps",
    "carbonchain.identity.steps",
    "carbonchain.oracle.steps",
    "carbonchain.repo.steps",
    "carbonchain.offset.steps",
    "carbonchain.fund.steps",
)


def contract_specs() -> dict[str, Any]:
    """Project contract name -> its domain's ContractSpec (what ``ctx.contract(name)`` deploys)."""
    from ..deploy import CONTRACTS

    return {spec.name: spec for spec in CONTRACTS}
