"""Slither over every contract, through the solc launcher's ``--combined-json`` answer.

Run by ``make lint`` with .venv-lint's Python (standard library only here). Every finding must be
explained in tools/lint/slither-triage.txt (``detector  where  reason``); anything else fails the
run, printed as Slither describes it. ``where`` is ``*`` (the detector is off for the whole project:
Slither does not run it) or ``Contract.function`` / ``Contract`` (that finding only).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRIAGE = ROOT / "tools" / "lint" / "slither-triage.txt"
ENTRY = ROOT / ".lint" / "AllContracts.sol"
# Not analysed: libraries from npm, and test-only harnesses that never deploy outside tests.
FILTER_PATHS = "node_modules|contracts/test/|\\.lint/"


def triage() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """(detector -> reason for project-wide exclusions, (detector, where) -> reason)."""
    everywhere: dict[str, str] = {}
    specific: dict[tuple[str, str], str] = {}
    for n, line in enumerate(TRIAGE.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split(None, 2)
        if len(parts) < 3 or not parts[2].strip():
            sys.exit(f"lint: {TRIAGE.name}:{n}: every entry needs `detector where reason` (a one-line reason)")
        detector, where, reason = parts
        if where == "*":
            everywhere[detector] = reason
        else:
            specific[(detector, where)] = reason
    return everywhere, specific


def remappings() -> list[str]:
    """The solidity import_remapping entries of ape-config.yaml (a flat list of "a=b" strings)."""
    text = (ROOT / "ape-config.yaml").read_text()
    block = re.search(r"import_remapping:\s*\n((?:\s+-\s*.*\n?)+)", text)
    return re.findall(r"-\s*[\"']?([^\"'\s]+=[^\"'\s]+)", block.group(1)) if block else []


def solc() -> str:
    folder = Path(os.environ.get("SOLCX_BINARY_PATH") or ROOT / ".solcx")
    launchers = sorted(folder.glob("solc-v*"))
    if not launchers:
        sys.exit(f"lint: no solc launcher in {folder}: run `make setup`")
    return str(launchers[-1])


def where_of(result: dict) -> str:
    for el in result.get("elements", []):
        if el.get("type") == "function":
            parent = el.get("type_specific_fields", {}).get("parent", {}).get("name", "")
            return f"{parent}.{el['name']}"
    for el in result.get("elements", []):
        if el.get("type") == "contract":
            return el["name"]
        parent = el.get("type_specific_fields", {}).get("parent", {})
        if parent.get("type") == "contract":
            return parent["name"]
    return result.get("first_markdown_element", "?")


def main() -> int:
    everywhere, specific = triage()
    sources = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "contracts").rglob("*.sol"))
    ENTRY.parent.mkdir(exist_ok=True)
    ENTRY.write_text(
        "// SPDX-License-Identifier: MIT\n// Written by tools/lint/slither_check.py: one compilation of every contract.\n"
        "pragma solidity ^0.8.20;\n" + "".join(f'import "{s}";\n' for s in sources)
    )
    cmd = [
        str(Path(sys.executable).parent / "slither"),
        ENTRY.relative_to(ROOT).as_posix(),
        "--solc", solc(),
        "--solc-remaps", " ".join(remappings()),
        "--solc-disable-warnings",
        "--filter-paths", FILTER_PATHS,
        "--json", "-",
    ]
    if everywhere:
        cmd += ["--exclude", ",".join(sorted(everywhere))]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        sys.stderr.write(proc.stderr[-4000:])
        print("lint: Slither did not produce a report (compilation failed?)", file=sys.stderr)
        return 1
    if not report.get("success"):
        print(f"lint: Slither failed: {report.get('error')}", file=sys.stderr)
        return 1
    findings = report.get("results", {}).get("detectors", [])
    unexplained, used = [], set()
    for r in findings:
        key = (r["check"], where_of(r))
        if key in specific:
            used.add(key)
        else:
            unexplained.append((key, r["description"].strip()))
    for key in sorted(set(specific) - used):
        print(f"lint: note: triage entry `{key[0]} {key[1]}` matches no finding any more (remove it)")
    for (check, where), text in unexplained:
        print(f"[{check}] {where}: {text}\n")
    print(
        f"slither: {len(sources)} sources, {len(findings)} findings, {len(findings) - len(unexplained)} "
        f"explained in {TRIAGE.relative_to(ROOT)}, {len(everywhere)} detectors off with a reason, "
        f"{len(unexplained)} unexplained"
    )
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
