"""``ape run scenario new NAME``: a commented scenario file to start from (valid as written)."""

from __future__ import annotations

import re
from pathlib import Path

from ..core.errors import CarbonChainError

TEMPLATE = """\
# yaml-language-server: $schema=schema.json
# A CarbonChain scenario. Run it:   ape run scenario run scenarios/{name}.yaml
# Every step is one mapping with exactly one action (or expectation) and optional meta keys:
#   day: N            play at day N of the story (time only moves forward; day 0 = setup)
#   at: "HH:MM"       time of day (UTC)
#   expect_revert: X  the action must be refused with custom error X (nothing is sent)
#   note: "..."       why the step is there (shown in the report)
# `ape run scenario steps` lists every action and expectation with its fields; scenarios/schema.json
# gives editors completion and checks.
scenario: {name}
title: {title}
description: >
  What this story shows, in one paragraph a risk officer can read.
tags: [oracle]          # add `slow` to keep it out of the default test run
personas: [opA, opB, opC, risk]   # test accounts 1, 2, 3... (account 0 is `admin`, who deploys)

setup:
  - markets: {{codes: [CEA], operators: [opA, opB, opC], quorum: 3, risk: risk}}

timeline:
  - day: 1
    quote: {{market: CEA, price: 72.50, by: [opA, opB, opC]}}
    note: three operators (the quorum) publish the first close
  - price: {{market: CEA, is: 72.50, usable: true}}
  - quote: {{market: CEA, prices: {{opC: 0.50}}}}
    expect_revert: CarbonPriceFeedPriceOutOfBounds
    note: a price below the market's floor is refused outright

expect:
  - event: {{name: RoundPublished, count: 1}}
"""


def new_scenario(name: str, folder: str | Path = "scenarios") -> Path:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise CarbonChainError(f"scenario names are lower-case words joined by '-': {name!r}")
    path = Path(folder) / f"{name}.yaml"
    if path.exists():
        raise CarbonChainError(f"{path} exists already")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEMPLATE.format(name=name, title=name.replace("-", " ").capitalize()), encoding="utf-8")
    return path
