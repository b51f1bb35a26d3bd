"""Quote sources: CSV, JSON, HTTP JSON (a real local server), pluggable schemes, time parsing."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from carbonchain.core.errors import CarbonChainError
from carbonchain.oracle.markets import to_price
from carbonchain.oracle.quotes import (
    CsvSource,
    HttpJsonSource,
    check_url,
    Quote,
    latest_quotes,
    open_source,
    parse_time,
    register_source,
)
from tests.utils.docs import ROOT, write


def test_parse_time_forms():
    assert parse_time(1767225600) == parse_time("1767225600") == 1767225600
    assert parse_time("2026-01-01") == parse_time("2026-01-01T15:00:00+08:00") == 1767250800
    assert parse_time("2026-01-01T07:00:00Z") == 1767250800
    assert parse_time("2026-01-01T15:00:00") == 1767250800  # naive means China Standard Time
    with pytest.raises(ValueError, match="not a time"):
        parse_time("yesterday")


def test_csv_source_and_latest(tmp_path):
    f = write(tmp_path / "q.csv", "# comment\nobserved_at,market,price,extra\n"
              "2026-01-05,cea,71.01,x\n2026-01-06,CEA,71.50,y\n2026-01-05,HBEA,42,z\n")
    quotes = CsvSource(f).quotes()
    assert quotes[0] == Quote("CEA", to_price("71.01"), parse_time("2026-01-05"))
    latest = latest_quotes(quotes)
    assert latest["CEA"].price == to_price("71.50") and latest["HBEA"].price == to_price("42")
    assert latest_quotes(quotes, as_of=parse_time("2026-01-05"))["CEA"].price == to_price("71.01")


def test_csv_errors_name_the_row(tmp_path):
    f = write(tmp_path / "q.csv", "observed_at,market,price\n2026-01-05,CEA,abc\n")
    src = CsvSource(f)
    assert src.quotes() == [] and "row 2: not a price" in src.problems[0]
    g = write(tmp_path / "g.csv", "observed_at,price\n2026-01-05,1\n")
    src = CsvSource(g)
    assert src.quotes() == [] and "missing field 'market'" in src.problems[0]


def test_json_source(tmp_path):
    f = write(tmp_path / "q.json", json.dumps({"quotes": [{"market": "CCER", "price": "80.5", "observed_at": 1767225600}]}))
    assert open_source(str(f)).quotes() == [Quote("CCER", to_price("80.5"), 1767225600)]
    bare = write(tmp_path / "bare.json", json.dumps([{"market": "CEA", "price": 70, "observed_at": "2026-01-05"}]))
    assert open_source(f"json:{bare}").quotes()[0].market == "CEA"
    bad = write(tmp_path / "bad.json", json.dumps({"rows": []}))
    with pytest.raises(CarbonChainError, match="expected a list"):
        open_source(str(bad)).quotes()


def test_sample_files_are_labelled_and_parse():
    for name in ("reference.csv", "operator-outlier.csv", "wild-jump.csv"):
        path = ROOT / "data" / "quotes" / name
        assert path.read_text().startswith("# SYNTHETIC")
        assert len(CsvSource(path).quotes()) > 400


def test_sample_files_are_reproducible(tmp_path):
    from carbonchain.oracle.samples import write_files

    for p in write_files(tmp_path):
        assert p.read_text() == (ROOT / "data" / "quotes" / p.name).read_text(), p.name


HOSTILE = (b'{"quotes": [{"market": "CEA", "price": 1e999990, "observed_at": "2026-01-05"},'
           b'{"market": "HBEA", "price": Infinity, "observed_at": "2026-01-05"},'
           b'{"market": "SHEA", "price": "sNaN", "observed_at": "2026-01-05"},'
           b'{"market": "SZEA", "price": "1e1000000", "observed_at": "2026-01-05"},'
           b'[1, 2], "CEA 70",'
           b'{"market": "BEA", "price": "45", "observed_at": 99999999999999999999999999},'
           b'{"market": "GDEA", "price": "45.10", "observed_at": "2026-01-05"}]}')


@pytest.fixture
def http_quotes():
    body = json.dumps({"quotes": [{"market": "GDEA", "price": "45.10", "observed_at": "2026-01-05"}]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            if self.path == "/quotes":
                self._send(body)
            elif self.path == "/hostile":
                self._send(HOSTILE)
            elif self.path == "/huge":
                self._send(b" " * 2_000_000 + body)
            elif self.path == "/drip":
                self.send_response(200)
                self.end_headers()
                for _ in range(40):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.1)
            elif self.path == "/to-remote-http":
                self.send_response(302)
                self.send_header("Location", "http://example.org/quotes")
                self.end_headers()
            elif self.path == "/to-local":
                self.send_response(302)
                self.send_header("Location", "/quotes")
                self.end_headers()
            else:
                self.send_response(500)
                self.end_headers()

        def _send(self, data):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_http_json_source(http_quotes):
    assert open_source(f"{http_quotes}/quotes").quotes() == [Quote("GDEA", to_price("45.10"), parse_time("2026-01-05"))]
    with pytest.raises(CarbonChainError, match="cannot fetch"):
        open_source(f"{http_quotes}/broken").quotes()
    assert open_source(f"{http_quotes}/to-local").quotes()[0].market == "GDEA"  # same-origin redirect is fine


def test_http_source_hostile_rows_are_one_line_each(http_quotes):
    """Issue 8 item 13: 1e999990, Infinity, sNaN, 1e1000000 and non-object rows cost nothing and
    are one line each; the good row still comes through."""
    src = open_source(f"{http_quotes}/hostile")
    started = time.monotonic()
    assert src.quotes() == [Quote("GDEA", to_price("45.10"), parse_time("2026-01-05"))]
    assert time.monotonic() - started < 2
    assert len(src.problems) == 7
    for i, needle in enumerate(["'1e999990'", "'Infinity'", "'sNaN'", "'1e1000000'", "not an object (list)",
                                "not an object (str)", "outside 2000..2100"]):
        assert src.problems[i].startswith(f"{src.url} item {i}:") and needle in src.problems[i]


def test_http_source_limits(http_quotes):
    """Issue 8 item 13: size limit, overall deadline, https only but for localhost, no https->http."""
    with pytest.raises(CarbonChainError, match="exceeds 1000000 bytes"):
        open_source(f"{http_quotes}/huge").quotes()
    with pytest.raises(CarbonChainError, match="no answer within 1 s"):
        HttpJsonSource(f"{http_quotes}/drip", timeout=1.0).quotes()
    with pytest.raises(CarbonChainError, match="quotes come over https"):
        open_source("http://example.org/quotes.json")
    with pytest.raises(CarbonChainError, match="quotes come over https"):
        open_source(f"{http_quotes}/to-remote-http").quotes()
    with pytest.raises(CarbonChainError, match="https to http"):
        check_url("http://localhost/quotes", previous="https://example.org/quotes")
    check_url("https://example.org/quotes")
    check_url("http://[::1]:8080/q")


def test_bad_csv_row_is_one_line_and_others_go_on(tmp_path):
    f = write(tmp_path / "q.csv", "observed_at,market,price\n2026-01-05,CEA,1e999990\n2026-01-05,HBEA,42\n")
    src = CsvSource(f)
    assert [q.market for q in src.quotes()] == ["HBEA"]
    assert len(src.problems) == 1 and "row 2" in src.problems[0] and "not a price" in src.problems[0]


def test_pluggable_source():
    class Fixed:
        name = "fixed"

        def __init__(self, rest):
            self.rest = rest

        def quotes(self):
            return [Quote(self.rest, to_price("1"), 1)]

    register_source("fixed", Fixed)
    assert open_source("fixed:CEA").quotes()[0].market == "CEA"


def test_unknown_source():
    with pytest.raises(CarbonChainError, match="unknown quote source"):
        open_source("quotes.xlsx")


def test_price_source_quotes_at_the_latest_trading_close():
    """`--source price:CEA=71.20`: typed closes observed at the latest weekday 15:00 CST close."""
    import datetime as dt

    from carbonchain.oracle.quotes import CST, latest_close, open_source

    wed_night = int(dt.datetime(2026, 11, 25, 22, 0, tzinfo=CST).timestamp())
    assert latest_close(wed_night) == int(dt.datetime(2026, 11, 25, 15, 0, tzinfo=CST).timestamp())
    wed_morning = int(dt.datetime(2026, 11, 25, 9, 0, tzinfo=CST).timestamp())
    assert latest_close(wed_morning) == int(dt.datetime(2026, 11, 24, 15, 0, tzinfo=CST).timestamp())
    sunday = int(dt.datetime(2026, 11, 29, 12, 0, tzinfo=CST).timestamp())
    assert latest_close(sunday) == int(dt.datetime(2026, 11, 27, 15, 0, tzinfo=CST).timestamp())
    (q,) = open_source("price:cea=71.20").quotes()
    assert (q.market, q.price) == ("CEA", to_price("71.20"))
    for bad in ("price:CEA", "price:CEA=abc", "price:"):
        with pytest.raises(CarbonChainError):
            open_source(bad)
