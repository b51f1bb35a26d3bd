"""JSON and hex helpers every domain shares: artifacts are written atomically, bytes as 0x-hex."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .errors import CarbonChainError


def hex32(value: bytes) -> str:
    """``bytes`` (a digest, a root) as 0x-prefixed lowercase hex."""
    return "0x" + bytes(value).hex()


def to_hex(value: Any) -> str:
    """Bytes or a hex string (with or without 0x) as 0x-prefixed hex."""
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    text = str(value)
    return text if text.startswith("0x") else "0x" + text


def jsonable(obj: Any) -> Any:
    """``obj`` with every bytes value turned into 0x-hex (recursively through dicts and lists)."""
    if isinstance(obj, dict):
        return {k: jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, (bytes, bytearray)):
        return "0x" + bytes(obj).hex()
    return obj


def load_json(path: str | Path) -> Any:
    """Reads a JSON file; a missing or malformed file is one CarbonChainError line."""
    p = Path(path)
    try:
        return json.loads(p.read_text())
    except FileNotFoundError:
        raise CarbonChainError(f"{path}: no such file") from None
    except json.JSONDecodeError as err:
        raise CarbonChainError(f"{path} is not valid JSON: {err}") from err


def write_json(path: str | Path, data: Any) -> Path:
    """Writes ``data`` as indented JSON atomically (temporary file, then rename)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(p.name + ".tmp")
    tmp.write_text(json.dumps(jsonable(data), indent=2) + "\n")
    os.replace(tmp, p)
    return p
