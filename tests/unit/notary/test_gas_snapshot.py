"""Gas regression guard: the current code must reproduce benchmarks/gas.json exactly.

When a change moves a figure on purpose, run `make bench`, commit the new figures and say why in
the commit message.
"""

import pytest

from carbonchain import bench


@pytest.fixture(scope="module")
def measured(accounts):
    return {f.key: f for f in bench.measure_notary(list(accounts[:4]))}


def test_gas_matches_committed_snapshot(measured):
    snapshot = bench.load_snapshot()["notary"]
    figures = {k: f.gas for k, f in measured.items()}
    assert set(figures) == set(snapshot)
    changed = {
        k: (snapshot[k]["gas"], figures[k])
        for k in figures
        if not snapshot[k].get("estimate") and figures[k] != snapshot[k]["gas"]
    }
    assert not changed, f"gas changed (committed, now): {changed}; run `make bench` and explain it"


def test_aims_hold(measured):
    figures = measured
    assert figures["anchor"].gas < 60_000
    assert figures["batch_1000"].per_document < 100
