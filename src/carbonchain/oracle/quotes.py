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
import urllib.error
import urllib.request
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


def _quote(row: dict[str, Any], where: str) -> Quote:
    try:
        return Quote(
            market=str(row["market"]).strip().upper(),
            price=to_price(str(row["price"]).strip()),
            observed_at=parse_time(row["observed_at"]),
        )
    except KeyError as err:
        raise CarbonChainError(f"{where}: missing field {err.args[0]!r}") from None
    except ValueError as err:
        raise CarbonChainError(f"{where}: {err}") from None


class QuoteSource(Protocol):
    name: str

    def quotes(self) -> list[Quote]: ...


class CsvSource:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.name = str(path)

    def quotes(self) -> list[Quote]:
        try:
            lines = [ln for ln in self.path.read_text().splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        except OSError as err:
            raise CarbonChainError(f"cannot read {self.path}: {err.strerror}") from None
        reader = csv.DictReader(lines)
        return [_quote(row, f"{self.path} row {i + 2}") for i, row in enumerate(reader)]


def _json_quotes(data: Any, where: str) -> list[Quote]:
    rows = data.get("quotes") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise CarbonChainError(f"{where}: expected a list of quotes or {{'quotes': [...]}}")
    return [_quote(r, f"{where} item {i}") for i, r in enumerate(rows)]


class JsonSource:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.name = str(path)

    def quotes(self) -> list[Quote]:
        try:
            data = json.loads(self.path.read_text())
        except OSError as err:
            raise CarbonChainError(f"cannot read {self.path}: {err.strerror}") from None
        except json.JSONDecodeError as err:
            raise CarbonChainError(f"{self.path} is not valid JSON: {err}") from None
        return _json_quotes(data, str(self.path))


class HttpJsonSource:
    """GETs a JSON document (same shape as :class:`JsonSource`) with a timeout."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url
        self.name = url
        self.timeout = timeout

    def quotes(self) -> list[Quote]:
        try:
            with urllib.request.urlopen(self.url, timeout=self.timeout) as resp:  # noqa: S310 - operator-given URL
                data = json.loads(resp.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, OSError) as err:
            raise CarbonChainError(f"cannot fetch {self.url}: {getattr(err, 'reason', err)}") from None
        except json.JSONDecodeError as err:
            raise CarbonChainError(f"{self.url} did not return JSON: {err}") from None
        return _json_quotes(data, self.url)


_SOURCES: dict[str, Callable[[str], QuoteSource]] = {
    "csv": CsvSource,
    "json": JsonSource,
    "http": HttpJsonSource,
    "https": HttpJsonSource,
}


def register_source(scheme: str, factory: Callable[[str], QuoteSource]) -> None:
    """Adds a source kind: ``--source scheme:rest`` calls ``factory(rest)``."""
    _SOURCES[scheme] = factory


def open_source(spec: str) -> QuoteSource:
    """``quotes.csv``, ``quotes.json``, ``csv:path``, ``json:path``, ``http(s)://...`` or a registered scheme."""
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
