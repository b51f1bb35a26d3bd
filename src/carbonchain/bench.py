"""The gas report of every domain (`make bench`): each domain's ``bench.BENCHES`` in one run, on
fresh deployments, written to ``benchmarks/gas.{json,md,html}`` by :mod:`carbonchain.core.bench`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from .core.bench import SIGNATURE_TOLERANCE, Bench, Figure, Progress, environment, load_snapshot, write  # noqa: F401
from .fund import bench as fund_bench
from .identity import bench as identity_bench
from .notary import bench as notary_bench
from .offset import bench as offset_bench
from .oracle import bench as oracle_bench

#: Sections of the report, in order. A new domain appends its ``BENCHES`` here.
BENCHES: list[Bench] = notary_bench.BENCHES + oracle_bench.BENCHES + identity_bench.BENCHES + fund_bench.BENCHES + offset_bench.BENCHES

#: How many test accounts the measurements use.
ACCOUNTS = 13


def bench(key: str) -> Bench:
    for b in BENCHES:
        if b.key == key:
            return b
    raise KeyError(key)


def measure(key: str, accounts: list[Any], *, progress: Progress = lambda _m: None) -> list[Figure]:
    """One section's figures on fresh deployments."""
    return bench(key).measure(accounts, progress=progress)


def run(accounts: list[Any], *, progress: Progress = lambda _m: None,
        out_dir: str | Path | None = None, only: Sequence[str] = ()) -> tuple[Path, Path]:
    """Measures every section (or only the sections named in ``only``, keeping the others' figures
    from the committed snapshot) and writes the report; returns (gas.json, gas.md)."""
    unknown = set(only) - {b.key for b in BENCHES}
    if unknown:
        raise KeyError(f"no gas section {', '.join(sorted(unknown))} (sections: {', '.join(b.key for b in BENCHES)})")
    kept = load_snapshot() if only else {}
    env = environment()
    if only and kept.get("environment", {}).get("provider") != env["provider"]:
        raise ValueError(f"the snapshot was measured on {kept.get('environment', {}).get('provider')}, not "
                         f"{env['provider']}: measure every section")
    results = {b.key: (b.measure(accounts, progress=progress) if not only or b.key in only
                       else _figures(b.key, kept.get(b.key, {}))) for b in BENCHES}
    return write(BENCHES, results, env, out_dir)


def _figures(section: str, data: dict[str, Any]) -> list[Figure]:
    return [Figure(key, f["operation"], f["gas"], f["documents"], f["signatures"], f["estimate"], f["volatile"])
            for key, f in data.items()]
