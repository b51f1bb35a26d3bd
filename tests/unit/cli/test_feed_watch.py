"""Issue 9 for the feed script: `feed push --watch` survives a node outage (item 5): the outage is one line when the node
goes and one when it is back, the loop carries on, and Ctrl-C prints a one-line summary.

`feed sign` warns when its round is already open or its day published (item 7), and malformed
signed-quote files and calendars are one line naming the file and field (item 12).

The outage is injected at the JSON-RPC transport (every request raises the "Connection refused" a dead
node gives), so every chain read of the loop meets it, wherever it is."""

import json
from functools import partial

import pytest
import requests

from carbonchain.oracle.feeder import Feeder
from tests.utils.docs import ROOT
from tests.utils.docs import write
from tests.utils.scripts import deploy_feed_world, load, run
from tests.utils.scripts import one_line_error as _one_line_error

one_line_error = partial(_one_line_error, after_banner=True)

QUOTES = ROOT / "data" / "quotes"


@pytest.fixture(autouse=True)
def deployed(tmp_path, monkeypatch, accounts):
    deploy_feed_world(tmp_path, monkeypatch, accounts)


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


def sign(op, out):
    return run("feed", "sign", "--source", QUOTES / "reference.csv", "--market", "CEA", "--out", out,
               "--account", op)


def test_sign_warns_when_round_open_or_day_published(tmp_path):
    push = partial(run, "feed", "push", "--source", QUOTES / "reference.csv", "--markets", "CEA", "--account")
    assert push("test:6").exit_code == 0
    res = sign("test:7", tmp_path / "q7.json")
    assert res.exit_code == 0, res.output
    assert "warning: round 1 of CEA is already open with 1 quote(s) pushed on chain" in res.output
    assert push("test:7").exit_code == 0 and "Published" in push("test:8").output
    for op in ("test:7", "test:8", "test:9"):
        res = sign(op, tmp_path / f"late{op[-1]}.json")
        assert res.exit_code == 0 and "is already published (round 1)" in res.output, res.output
    res = run("feed", "relay", *(tmp_path / f"late{i}.json" for i in (7, 8, 9)), "--account", "test:7")
    one_line_error(res, "CarbonPriceFeedAlreadyPublished", "nothing to relay for this market day")


@pytest.mark.parametrize(
    "doc, needle",
    [
        ({}, "field 'market' is missing"),
        ({"market": "CEA", "feed": "0x" + "11" * 20, "signer": "0x" + "22" * 20, "round_id": 1, "price": 1,
          "observed_at": 1, "r": "abc", "vs": "0x" + "00" * 32}, "field 'r' is 'abc', a 0x-prefixed 32-byte hex"),
    ],
)
def test_relay_of_malformed_quote_names_file_and_field(tmp_path, doc, needle):
    bad = write(tmp_path / "quote.json", json.dumps(doc))
    res = run("feed", "relay", bad)
    one_line_error(res, "quote.json", needle)
    assert "NoneType" not in res.output and "hex string" not in res.output.replace("hex string expected", "")


@pytest.mark.parametrize(
    "doc, needle",
    [
        ({}, "field 'closures' is missing (a JSON list expected)"),
        ({"closures": [{"market": "CEA", "start": "2026-10-01"}]}, "closures[0]: field 'end' is missing"),
        ({"closures": [{"market": "CEA", "start": "1 Oct", "end": "2026-10-08"}]},
         "closures[0]: field 'start' is '1 Oct', a date YYYY-MM-DD expected"),
    ],
)
def test_malformed_calendar_names_file_and_field(tmp_path, doc, needle):
    cal = write(tmp_path / "cal.json", json.dumps(doc))
    one_line_error(run("feed", "schedule-closures", cal), "cal.json", needle)
