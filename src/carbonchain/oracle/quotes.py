"""Quote sources for the operators' feed script: CSV or JSON files, or an HTTP JSON endpoint.

A source yields :class:`Quote` rows (market, price, observation time). Sources are pluggable:
``register_source("myscheme", factory)`` makes ``--source myscheme:...`` work.

CSV: a header ``observed_at,market,price`` (extra columns are ignored); lines starting with ``#``
are comments. JSON: ``{"quotes": [{"market": "CEA", "price": "71.25", "observed_at": ...}]}`` or a
bare list. ``observed_at`` is unix seconds, an ISO date-time, or an ISO date, which means that
day's close at 15:00 China Standard Time (UTC+8).
"""

from __future__ import annotations

import csv
import datetime as _dt
import json
import ipaddress
import re
import time
from urllib.parse import urljoin, urlparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol

from ..core.errors import CarbonChainError
from .markets import from_price, to_price

CST = _dt.timezone(_dt.timedelta(hours=8), "CST")
CLOSE_TIME = _dt.time(15, 0, tzinfo=CST)


@dataclass(frozen=True)
class Quote:
    market: str
    price: int  # 8 decimals
    observed_at: int  # unix seconds

    def __str__(self) -> str:
        when = _dt.datetime.fromtimestamp(self.observed_at, CST).strftime("%Y-%m-%d %H:%M CST")
        return f"{self.market} {from_price(self.price)} @ {when}"


def parse_time(value: Any) -> int:
    """Unix seconds from an int, a digit string, an ISO date-time, or an ISO date (15:00 CST close)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    try:
        if len(text) == 10:
            day = _dt.date.fromisoformat(text)
            return int(_dt.datetime.combine(day, CLOSE_TIME).timestamp())
        moment = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"not a time: {value!r} (use unix seconds, YYYY-MM-DD or ISO 8601)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CST)
    return int(moment.timestamp())


#: A price as text: plain decimal digits, at most 12 before the point (no exponent, no sign, no
#: Infinity/NaN; at most 40 characters), so parsing is bounded whatever a source sends; more than
#: 8 decimals is then refused by to_price.
_PRICE_TEXT = re.compile(r"[0-9]{1,12}(\.[0-9]{1,27})?")
_MARKET_TEXT = re.compile(r"[A-Za-z0-9_]{1,32}")
#: Observation times accepted: 2000-01-01 to 2100-01-01 (unix seconds).
MIN_TIME, MAX_TIME = 946_684_800, 4_102_444_800
_MAX_FIELD = 40


def _field(row: dict[str, Any], name: str) -> Any:
    if name not in row or row[name] is None:
        raise KeyError(name)
    return row[name]


def _price(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"price must be a number or a decimal string, not {type(value).__name__}")
    text = str(value).strip().replace(",", "")
    if len(text) > _MAX_FIELD or not _PRICE_TEXT.fullmatch(text):
        raise ValueError(f"not a price: {text[:_MAX_FIELD]!r} (a plain decimal: digits, at most 8 decimals)")
    return to_price(text)


def _time(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"observed_at must be unix seconds or an ISO date, not {type(value).__name__}")
    text = str(value).strip()
    if len(text) > _MAX_FIELD:
        raise ValueError(f"not a time: {text[:_MAX_FIELD]!r}...")
    t = parse_time(text)
    if not MIN_TIME <= t <= MAX_TIME:
        raise ValueError(f"observed_at {text!r} is outside 2000..2100")
    return t


def _quote(row: Any, where: str) -> Quote:
    """One row -> a Quote; every field bounded and validated (ValueError names the problem)."""
    if not isinstance(row, dict):
        raise CarbonChainError(f"{where}: not an object ({type(row).__name__})")
    try:
        market = _field(row, "market")
        if not isinstance(market, str) or not _MARKET_TEXT.fullmatch(market.strip()):
            raise ValueError(f"not a market code: {str(market)[:_MAX_FIELD]!r}")
        return Quote(market=market.strip().upper(), price=_price(_field(row, "price")),
                     observed_at=_time(_field(row, "observed_at")))
    except KeyError as err:
        raise CarbonChainError(f"{where}: missing field {err.args[0]!r}") from None
    except ValueError as err:
        raise CarbonChainError(f"{where}: {err}") from None


def _rows(rows: Iterable[Any], where: Callable[[int], str], problems: list[str]) -> list[Quote]:
    """Valid rows as quotes; each bad row is one line in ``problems`` and the others go on."""
    out = []
    for i, row in enumerate(rows):
        try:
            out.append(_quote(row, where(i)))
        except CarbonChainError as err:
            problems.append(str(err))
    return out


class QuoteSource(Protocol):
    """``quotes()`` returns the valid rows; ``problems`` then lists one line per bad row."""

    name: str

    def quotes(self) -> list[Quote]: ...


class CsvSource:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.name = str(path)
        self.problems: list[str] = []

    def quotes(self) -> list[Quote]:
        try:
            lines = [ln for ln in self.path.read_text().splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        except OSError as err:
            raise CarbonChainError(f"cannot read {self.path}: {err.strerror}") from None
        except UnicodeDecodeError:
            raise CarbonChainError(f"{self.path} is not UTF-8 text") from None
        self.problems = []
        return _rows(csv.DictReader(lines), lambda i: f"{self.path} row {i + 2}", self.problems)


def parse_json(text: str, where: str) -> Any:
    """JSON with numbers kept as text, so that each field is validated (and refused on its own row)
    without ever converting an unbounded number; bare Infinity/NaN stay text and are refused there."""
    try:
        return json.loads(text, parse_float=str, parse_int=str, parse_constant=str)
    except (json.JSONDecodeError, ValueError, RecursionError) as err:
        raise CarbonChainError(f"{where} is not valid JSON: {err}") from None


def _json_quotes(data: Any, where: str, problems: list[str]) -> list[Quote]:
    rows = data.get("quotes") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise CarbonChainError(f"{where}: expected a list of quotes or {{'quotes': [...]}}")
    return _rows(rows, lambda i: f"{where} item {i}", problems)


class JsonSource:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.name = str(path)
        self.problems: list[str] = []

    def quotes(self) -> list[Quote]:
        try:
            text = self.path.read_text()
        except OSError as err:
            raise CarbonChainError(f"cannot read {self.path}: {err.strerror}") from None
        except UnicodeDecodeError:
            raise CarbonChainError(f"{self.path} is not UTF-8 text") from None
        self.problems = []
        return _json_quotes(parse_json(text, str(self.path)), str(self.path), self.problems)


def _is_local(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url(url: str, previous: str | None = None) -> None:
    """https only (http only to an explicit localhost / loopback address); a redirect may not go
    from https to http."""
    u = urlparse(url)
    if u.scheme not in ("http", "https") or not u.hostname:
        raise CarbonChainError(f"not an http(s) URL: {url}")
    if u.scheme == "http" and not _is_local(u.hostname):
        raise CarbonChainError(f"refusing {url}: quotes come over https (http only from localhost)")
    if previous is not None and urlparse(previous).scheme == "https" and u.scheme == "http":
        raise CarbonChainError(f"refusing the redirect from {previous} to {url}: https to http")


class HttpJsonSource:
    """GETs a JSON document (same shape as :class:`JsonSource`) over https with ``requests``: an
    overall deadline (not only a per-read timeout), a size limit, at most ``MAX_REDIRECTS`` redirects
    and never from https to http."""

    MAX_BYTES = 1_000_000
    MAX_REDIRECTS = 3

    def __init__(self, url: str, timeout: float = 10.0, max_bytes: int = MAX_BYTES) -> None:
        check_url(url)
        self.url = url
        self.name = url
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.problems: list[str] = []

    def _fetch(self) -> bytes:
        import requests

        deadline = time.monotonic() + self.timeout
        url = self.url
        with requests.Session() as session:
            for _hop in range(self.MAX_REDIRECTS + 1):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CarbonChainError(f"cannot fetch {self.url}: no answer within {self.timeout:g} s")
                try:
                    resp = session.get(url, timeout=(min(left, 5.0), left), stream=True, allow_redirects=False,
                                       headers={"Accept": "application/json"})
                except requests.RequestException as err:
                    raise CarbonChainError(f"cannot fetch {self.url}: {type(err).__name__}") from None
                with resp:
                    if resp.is_redirect:
                        nxt = urljoin(url, resp.headers.get("Location", ""))
                        check_url(nxt, previous=url)
                        url = nxt
                        continue
                    if resp.status_code != 200:
                        raise CarbonChainError(f"cannot fetch {self.url}: HTTP {resp.status_code}")
                    declared = resp.headers.get("Content-Length", "")
                    if declared.isdigit() and int(declared) > self.max_bytes:
                        raise CarbonChainError(f"{self.url}: answer of {declared} bytes exceeds {self.max_bytes}")
                    body = bytearray()
                    try:
                        for chunk in resp.iter_content(chunk_size=65_536):
                            body += chunk
                            if len(body) > self.max_bytes:
                                raise CarbonChainError(f"{self.url}: answer exceeds {self.max_bytes} bytes")
                            if time.monotonic() > deadline:
                                raise CarbonChainError(f"cannot fetch {self.url}: no answer within {self.timeout:g} s")
                    except requests.RequestException as err:
                        raise CarbonChainError(f"cannot fetch {self.url}: {type(err).__name__}") from None
                    return bytes(body)
        raise CarbonChainError(f"cannot fetch {self.url}: more than {self.MAX_REDIRECTS} redirects")

    def quotes(self) -> list[Quote]:
        body = self._fetch()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise CarbonChainError(f"{self.url} did not return UTF-8 JSON") from None
        self.problems = []
        return _json_quotes(parse_json(text, self.url), self.url, self.problems)


_SOURCES: dict[str, Callable[[str], QuoteSource]] = {
    "csv": CsvSource,
    "json": JsonSource,
    "http": HttpJsonSource,
    "https": HttpJsonSource,
}


def latest_close(now: int) -> int:
    """The latest weekday 15:00 CST close at or before ``now`` (unix seconds)."""
    moment = _dt.datetime.fromtimestamp(int(now), CST)
    day = moment.date()
    if moment.timetz().replace(tzinfo=None) < CLOSE_TIME.replace(tzinfo=None):
        day -= _dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= _dt.timedelta(days=1)
    return int(_dt.datetime.combine(day, CLOSE_TIME).timestamp())


class PriceSource:
    """``price:CEA=71.20,SHEA=63.5``: closes an operator types in, observed at the latest trading
    close (15:00 CST, weekdays) at or before the chain's clock (the wall clock when not connected)."""

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self.name = f"price:{spec}"
        self.prices: dict[str, int] = {}
        for part in filter(None, (x.strip() for x in spec.split(","))):
            market, sep, value = part.partition("=")
            if not sep or not market.strip() or not value.strip():
                raise CarbonChainError(f"price:{spec}: {part!r} is not MARKET=PRICE (e.g. price:CEA=71.20)")
            try:
                self.prices[market.strip().upper()] = to_price(value.strip())
            except ValueError as err:
                raise CarbonChainError(f"price:{spec}: {market.strip()}: {err}") from None
        if not self.prices:
            raise CarbonChainError("price: needs at least one MARKET=PRICE (e.g. price:CEA=71.20)")

    def quotes(self) -> list[Quote]:
        try:
            from ..core.network import chain_time

            now = chain_time()
        except Exception:  # noqa: BLE001 - not connected: the wall clock
            import time

            now = int(time.time())
        at = latest_close(now)
        return [Quote(m, p, at) for m, p in self.prices.items()]


_SOURCES["price"] = PriceSource


def register_source(scheme: str, factory: Callable[[str], QuoteSource]) -> None:
    """Adds a source kind: ``--source scheme:rest`` calls ``factory(rest)``."""
    _SOURCES[scheme] = factory


def open_source(spec: str) -> QuoteSource:
    """``quotes.csv``, ``quotes.json``, ``csv:path``, ``json:path``, ``http(s)://...``,
    ``price:CEA=71.20`` (typed closes at the latest trading close) or a registered scheme."""
    if spec.startswith(("http://", "https://")):
        return HttpJsonSource(spec)
    scheme, sep, rest = spec.partition(":")
    if sep and scheme in _SOURCES and len(scheme) > 1:
        return _SOURCES[scheme](rest)
    suffix = Path(spec).suffix.lower()
    if suffix == ".csv":
        return CsvSource(spec)
    if suffix == ".json":
        return JsonSource(spec)
    raise CarbonChainError(f"unknown quote source {spec!r}: use a .csv or .json file, csv:/json: prefix, or an http(s) URL")


def latest_quotes(quotes: Iterable[Quote], as_of: int | None = None) -> dict[str, Quote]:
    """Each market's most recent quote observed at or before ``as_of`` (default: all)."""
    best: dict[str, Quote] = {}
    for q in quotes:
        if as_of is not None and q.observed_at > as_of:
            continue
        if q.market not in best or q.observed_at > best[q.market].observed_at:
            best[q.market] = q
    return best
