"""`ape run feed`: the operators' script, end to end in-process: dry run, push, restart, bundles,
closures, and one-line errors."""

import json
from functools import partial

import pytest

from carbonchain.oracle.markets import DEFAULT_MARKETS
from tests.utils.docs import ROOT, write
from tests.utils.scripts import one_line_error as _one_line_error
from tests.utils.scripts import deploy_feed_world, run

one_line_error = partial(_one_line_error, after_banner=True)

QUOTES = ROOT / "data" / "quotes"


@pytest.fixture(autouse=True)
def deployed(tmp_path, monkeypatch, accounts):
    deploy_feed_world(tmp_path, monkeypatch, accounts)


def push(*args):
    return run("feed", "push", "--source", QUOTES / "reference.csv", *args)


def test_dry_run_sends_nothing():
    res = push("--account", "test:6", "--dry-run", "--markets", "CEA,HBEA")
    assert res.exit_code == 0, res.output
    assert res.output.count("would submit") == 2 and "first price" in res.output
    assert "0 quotes" not in res.output
    status = run("feed", "status")
    assert status.exit_code == 0 and "1 None" in status.output  # nothing was sent: round 1 untouched


def test_push_quorum_and_restart(accounts):
    for op in ("test:6", "test:7"):
        res = push("--account", op, "--markets", "CEA")
        assert res.exit_code == 0, res.output
        assert "submit" in res.output
    res = push("--account", "test:6", "--markets", "CEA")  # restarted before quorum: skips
    assert res.exit_code == 0 and "already quoted round 1" in res.output
    res = push("--account", "test:8", "--markets", "CEA")
    assert "Published" in res.output
    for op in ("test:6", "test:7", "test:8", "test:9"):
        res = push("--account", op, "--markets", "CEA")
        assert res.exit_code == 0 and "already on chain" in res.output
    st = run("feed", "status")
    assert "CEA" in st.output and "63.42" in st.output


def test_watch_mode_runs_passes():
    res = push("--account", "test:6", "--markets", "CCER", "--watch", "--interval", "0.1", "--cycles", "2")
    assert res.exit_code == 0, res.output
    assert "pass 1" in res.output and "pass 2" in res.output
    assert "already quoted round 1" in res.output  # second pass did not re-submit


def test_signed_bundle_via_sign_and_relay(tmp_path):
    files = []
    for op in ("test:6", "test:7", "test:9"):
        out = tmp_path / f"{op.replace(':', '')}.json"
        res = run("feed", "sign", "--source", QUOTES / "reference.csv", "--market", "GDEA", "--out", out,
                  "--account", op)
        assert res.exit_code == 0, res.output
        files.append(out)
    res = run("feed", "relay", *files, "--account", "test:8")
    assert res.exit_code == 0, res.output
    assert "bundle of 3 relayed" in res.output and "Published" in res.output


def test_schedule_closures_from_calendar(tmp_path):
    res = run("feed", "schedule-closures", QUOTES / "closures.json")
    assert res.exit_code == 0, res.output
    assert res.output.count("closed 2026-02-14 00:00 .. 2026-02-23 00:00") == len(DEFAULT_MARKETS)
    res = run("feed", "schedule-closures", QUOTES / "closures.json")  # the same calendar again: no-op
    assert res.exit_code == 0 and "0 closures scheduled, 10 already in the calendar" in res.output
    more = write(tmp_path / "more.json", json.dumps({"closures": [
        {"market": "CEA", "start": "2026-04-04", "end": "2026-04-07"},
        {"market": "CEA", "start": "2026-05-01", "end": "2026-05-06"},
    ]}))
    res = run("feed", "schedule-closures", more)
    assert res.exit_code == 0 and "2 closures scheduled" in res.output  # many windows per market
    overlap = write(tmp_path / "overlap.json", json.dumps({"closures": [
        {"market": "HBEA", "start": "2026-10-01", "end": "2026-10-08"},
        {"market": "CEA", "start": "2026-02-14", "end": "2026-02-20"},
    ]}))
    res = run("feed", "schedule-closures", overlap)
    assert res.exit_code == 1 and "overlaps the scheduled closure" in res.output and "nothing sent" in res.output
    bad = write(tmp_path / "bad.json", json.dumps({"closures": [
        {"market": "HBEA", "start": "2026-02-14", "end": "2026-04-20"},
    ]}))
    res = run("feed", "schedule-closures", bad)
    assert res.exit_code == 1 and "too long: nothing sent" in res.output
    res = run("feed", "schedule-closures", QUOTES / "closures.json", "--account", "test:3")
    assert res.exit_code == 1 and "is not feed admin of CEA: nothing sent" in res.output


def test_held_round_is_an_alert_exit_1_under_once_and_loud_under_watch(accounts):
    """Finding 2: a held round must not pass silently."""
    from carbonchain.oracle.markets import close_of, day_of, to_price
    from carbonchain.oracle import PriceFeeds

    feed = PriceFeeds.deployed()["CEA"]
    d = day_of(1_790_000_000)
    while (d + 3) % 7:
        d -= 1
    for price, day in (("70", d), ("95", d + 1)):
        for i in (6, 7, 8):
            feed.contract.submit(feed.open_round(), to_price(price), close_of(day), sender=accounts[i])
    assert feed.status().held
    res = push("--account", "test:9", "--markets", "CEA")
    assert res.exit_code == 1 and "ALERT CEA" in res.output and "HELD at 95" in res.output
    res = push("--account", "test:9", "--markets", "CEA", "--watch", "--interval", "0.1", "--cycles", "2")
    assert res.exit_code == 0 and res.output.count("ALERT CEA") == 2


def test_errors_are_one_line(tmp_path):
    one_line_error(run("feed", "push", "--source", tmp_path / "missing.csv", "--account", "test:6"), "cannot read")
    one_line_error(run("feed", "push", "--source", tmp_path / "q.txt", "--account", "test:6"), "unknown quote source")
    bad = write(tmp_path / "bad.csv", "observed_at,market,price\n2026-03-13,CEA,71.123456789\n")
    one_line_error(run("feed", "push", "--source", bad, "--account", "test:6"), "more than 8 decimals")
    out_of_bounds = write(tmp_path / "oob.csv", "observed_at,market,price\n2026-03-13,CEA,5000\n")
    one_line_error(run("feed", "push", "--source", out_of_bounds, "--account", "test:6", "--markets", "CEA"),
                   "outside the feed's bounds")
    res = run("feed", "push", "--source", QUOTES / "reference.csv", "--account", "test:3", "--markets", "CEA")
    one_line_error(res, "AccessControlUnauthorizedAccount")
    one_line_error(run("feed", "push", "--source", QUOTES / "reference.csv", "--account", "test:6", "--markets", "XYZ"),
                   "no feed deployed")
    one_line_error(run("feed", "sign", "--source", QUOTES / "reference.csv", "--market", "XYZ",
                       "--out", tmp_path / "s.json"), "no feed for market")
    garbage = write(tmp_path / "g.json", "{nope")
    one_line_error(run("feed", "relay", garbage), "not valid JSON")
