"""The gas report of every domain (`make bench`): each domain's ``bench.BENCHES`` in one run, on
fresh deployments, written to ``benchmarks/gas.{json,md,html}`` by :mod:`carbonchain.core.bench`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .core.bench import SIGNATURE_TOLERANCE, Bench, Figure, Progress, environment, load_snapshot, write  # noqa: F401
from .identity import bench as identity_bench
from .notary import bench as notary_bench
from .oracle import bench as oracle_bench

#: Sections of the report, in order. A new domain appends its ``BENCHES`` here.
BENCHES: list[Bench] = notary_bench.BENCHES + oracle_bench.BENCHES + identity_bench.BENCHES

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
        out_dir: str | Path | None = None) -> tuple[Path, Path]:
    """Measures every section and writes the report; returns (gas.json, gas.md)."""
    results = {b.key: b.measure(accounts, progress=progress) for b in BENCHES}
    return write(BENCHES, results, environment(), out_dir)
