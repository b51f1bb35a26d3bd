"""Credit serial numbers as registries print them, parsed into (standard, project, vintage, first, last).

Two forms:

* Verra VCU serial blocks, e.g. ``10174-183398935-183399934-VCS-VCU-263-VER-CN-1-1529-01012018-31122018-0``:
  issuance block, first and last serial, ``VCS``, ``VCU``, a registry code, ``VER``, country,
  sectoral scope (some listings leave it out), project id, vintage start and end (DDMMYYYY),
  additional-certification flag. The vintage is the year of the vintage start.
* A generic ``STANDARD-PROJECT-VINTAGE-first-last`` form for other registries (CCER, Gold Standard),
  e.g. ``CCER-001234-2021-1-500``; the project part may itself contain hyphens.

A malformed serial raises :class:`SerialError` whose message is one line naming the wrong part.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from ..core.errors import CarbonChainError

MAX_SERIAL = 2**64 - 1  # serials are uint64 on chain
_VERRA_PARTS = (
    "issuance block", "first serial", "last serial", "standard", "unit type", "registry code", "VER marker",
    "country", "sectoral scope", "project id", "vintage start", "vintage end", "additional certification flag",
)
_VERRA_SHORT = tuple(p for p in _VERRA_PARTS if p != "sectoral scope")  # as some registries print them


class SerialError(CarbonChainError):
    """A serial number that cannot be parsed; the message names the wrong part."""


@dataclass(frozen=True)
class SerialBlock:
    """A contiguous block of credits of one lot (standard, project, vintage); ``last`` is inclusive."""

    standard: str
    project: str
    vintage: int
    first: int
    last: int

    @property
    def quantity(self) -> int:
        """Tonnes CO2e (one credit = one tonne)."""
        return self.last - self.first + 1

    @property
    def lot(self) -> tuple[str, str, int]:
        return (self.standard, self.project, self.vintage)

    def __str__(self) -> str:
        return f"{self.standard}-{self.project}-{self.vintage}-{self.first}-{self.last}"

    def contains(self, serial: int) -> bool:
        return self.first <= serial <= self.last


def _fail(text: str, part: str, value: str, why: str) -> SerialError:
    return SerialError(f"serial {text!r}: {part} {value!r} {why}")


def _number(text: str, part: str, value: str) -> int:
    if not value.isdigit():
        raise _fail(text, part, value, "is not a number")
    n = int(value)
    if n > MAX_SERIAL:
        raise _fail(text, part, value, "is above the largest serial (2^64 - 1)")
    return n


def _check_range(text: str, first: int, last: int, last_raw: str) -> None:
    if last < first:
        raise _fail(text, "last serial", last_raw, f"is before the first serial {first}")


def _short_text(text: str, part: str, value: str) -> str:
    if not value or len(value.encode()) > 32 or not re.fullmatch(r"[A-Za-z0-9._-]+", value):
        raise _fail(text, part, value, "must be 1 to 32 letters, digits, '.', '_' or '-'")
    return value


def _date(text: str, part: str, value: str) -> _dt.date:
    if not re.fullmatch(r"\d{8}", value):
        raise _fail(text, part, value, "is not a DDMMYYYY date")
    try:
        return _dt.date(int(value[4:]), int(value[2:4]), int(value[:2]))
    except ValueError:
        raise _fail(text, part, value, "is not a valid DDMMYYYY date") from None


def parse_verra(text: str) -> SerialBlock:
    """A Verra VCU serial block (13 hyphen-separated parts)."""
    parts = text.strip().split("-")
    layout = {len(_VERRA_PARTS): _VERRA_PARTS, len(_VERRA_SHORT): _VERRA_SHORT}.get(len(parts))
    if layout is None:
        raise SerialError(f"serial {text!r}: a VCU serial block has {len(_VERRA_PARTS)} hyphen-separated parts "
                          f"({len(_VERRA_SHORT)} without the sectoral scope), this one has {len(parts)}")
    names = dict(zip(layout, parts))
    _number(text, "issuance block", names["issuance block"])
    first = _number(text, "first serial", names["first serial"])
    last = _number(text, "last serial", names["last serial"])
    _check_range(text, first, last, names["last serial"])
    for part, expected in (("standard", "VCS"), ("unit type", "VCU"), ("VER marker", "VER")):
        if names[part].upper() != expected:
            raise _fail(text, part, names[part], f"should be {expected}")
    _number(text, "registry code", names["registry code"])
    if not re.fullmatch(r"[A-Za-z]{2}", names["country"]):
        raise _fail(text, "country", names["country"], "is not a two-letter country code")
    if "sectoral scope" in names:
        _number(text, "sectoral scope", names["sectoral scope"])
    project = str(_number(text, "project id", names["project id"]))
    start = _date(text, "vintage start", names["vintage start"])
    end = _date(text, "vintage end", names["vintage end"])
    if end < start:
        raise _fail(text, "vintage end", names["vintage end"], "is before the vintage start")
    if names["additional certification flag"] not in ("0", "1"):
        raise _fail(text, "additional certification flag", names["additional certification flag"], "should be 0 or 1")
    return SerialBlock("VCS", project, start.year, first, last)


def parse_generic(text: str) -> SerialBlock:
    """``STANDARD-PROJECT-VINTAGE-first-last`` (the project may contain hyphens)."""
    parts = text.strip().split("-")
    if len(parts) < 5:
        raise SerialError(f"serial {text!r}: expected STANDARD-PROJECT-VINTAGE-first-last, "
                          f"got {len(parts)} hyphen-separated parts")
    standard, project, vintage_raw = parts[0], "-".join(parts[1:-3]), parts[-3]
    first_raw, last_raw = parts[-2], parts[-1]
    _short_text(text, "standard", standard)
    _short_text(text, "project", project)
    if not re.fullmatch(r"\d{4}", vintage_raw) or not 1990 <= int(vintage_raw) <= 2100:
        raise _fail(text, "vintage", vintage_raw, "is not a year (1990-2100)")
    first = _number(text, "first serial", first_raw)
    last = _number(text, "last serial", last_raw)
    _check_range(text, first, last, last_raw)
    return SerialBlock(standard.upper(), project, int(vintage_raw), first, last)


def is_verra(text: str) -> bool:
    parts = text.strip().split("-")
    return len(parts) > 4 and parts[3].upper() == "VCS" and parts[4].upper() == "VCU"


def parse_serial(text: str) -> SerialBlock:
    """Either form: a Verra VCU block when its 4th and 5th parts read VCS-VCU, else the generic form."""
    if not text or not text.strip():
        raise SerialError("serial '': empty")
    return parse_verra(text) if is_verra(text) else parse_generic(text)


def parse_serial_number(text: str) -> tuple[SerialBlock, int]:
    """One credit: a block of a single serial, or ``BLOCK@serial`` / ``STANDARD-PROJECT-VINTAGE-serial``."""
    text = text.strip()
    if "@" in text:
        block_text, _, serial_raw = text.rpartition("@")
        block = parse_serial(block_text)
        serial = _number(text, "serial", serial_raw)
        if not block.contains(serial):
            raise _fail(text, "serial", serial_raw, f"is outside the block {block.first}-{block.last}")
        return block, serial
    parts = text.split("-")
    if not is_verra(text) and len(parts) == 4:
        block = parse_generic(f"{text}-{parts[-1]}")
        return block, block.first
    block = parse_serial(text)
    if block.quantity != 1:
        raise SerialError(f"serial {text!r}: names {block.quantity} credits; add @SERIAL to pick one")
    return block, block.first
