"""`feed push --watch` survives a node outage (issue 9 item 5): the outage is one line when the node
goes and one when it is back, the loop carries on, and Ctrl-C prints a one-line summary.

The outage is injected at the JSON-RPC transport (every request raises the "Connection refused" a dead
node gives), so every chain read of the loop meets it, wherever it is."""

from functools import partial

import pytest
import requests

from carbonchain.deploy import deploy_all
from carbonchain.oracle.feeder import Feeder
from tests.utils.docs import ROOT
from tests.utils.scripts import load, run

QUOTES = ROOT / "data" / "quotes"


@pytest.fixture(autouse=True)
def deployed(tmp_path, monkeypatch, accounts):
    monkeypatch.setenv("CARBONCHAIN_DEPLOYMENTS", str(tmp_path / "deployments"))
    monkeypatch.chdir(tmp_path)
    deploy_all(accounts[0], operators=[accounts[i].address for i in (6, 7, 8, 9)], quorum=3)


def test_watch_survives_outage_and_ctrl_c_prints_summary(monkeypatch, networks):
    transport = networks.active_provider.web3.provider
    real = transport.make_request
    naps = []

    def refused(method, params):
        raise requests.ConnectionError("HTTPConnectionPool(host='127.0.0.1', port=8545): Connection refused")

    def sleep(_seconds):
        naps.append(_seconds)
        if len(naps) == 1:
            monkeypatch.setattr(transport, "make_request", refused)  # the node goes down after pass 1
        elif len(naps) == 3:
            monkeypatch.setattr(transport, "make_request", real)  # and is back for pass 4
        elif len(naps) == 4:
            raise KeyboardInterrupt

    script = load("feed").commands["push"].callback.__wrapped__.__globals__
    monkeypatch.setitem(script, "Feeder", partial(Feeder, sleep=sleep))
    res = run("feed", "push", "--source", QUOTES / "reference.csv", "--account", "test:6", "--markets", "CCER",
              "--watch", "--interval", "5")
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output
    lines = res.output.splitlines()
    outage = [ln for ln in lines if "node unreachable (" in ln]
    assert len(outage) == 1 and "Connection refused" in outage[0] and "pass 2 skipped" in outage[0]
    assert sum("node back after" in ln for ln in lines) == 1
    assert "pass 1" in lines and "pass 4" in lines and "pass 2" not in lines and "pass 3" not in lines
    assert "already quoted round 1" in res.output  # pass 4 read the chain again and did not re-submit
    assert lines[-1].startswith("stopped after 2 passes: 1 submitted, 1 skipped, 0 errors; node unreachable 1 time")
