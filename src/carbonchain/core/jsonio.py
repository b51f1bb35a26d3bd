"""JSON and hex helpers every domain shares: artifacts are written atomically, bytes as 0x-hex."""

from __future__ import annotations

import json
import os
import tempfile
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


def check_output(path: str | Path, option: str = "--out") -> Path:
    """Refuses, before anything is sent, an output path the command could not write afterwards: a
    folder, a read-only file, or a folder that neither exists writable nor can be created in a
    writable parent. Returns the path. Every command that sends and then writes an artifact calls this
    first (issue 9: an anchored credential whose JWT could not be written is lost)."""
    p = Path(path)
    if p.is_dir():
        raise CarbonChainError(f"{option} {path}: is a folder, a file name is expected; nothing was sent")
    if p.exists():
        try:
            with open(p, "a"):
                pass
        except OSError as err:
            raise CarbonChainError(f"{option} {path}: the file is not writable ({err.strerror}); nothing was sent") from None
        return p
    folder = p.parent
    ancestor = folder
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise CarbonChainError(f"{option} {path}: {ancestor} is a file, not a folder; nothing was sent")
    try:  # a real probe: permission bits say nothing for root, read-only mounts or /proc
        tempfile.TemporaryFile(dir=ancestor).close()
    except OSError as err:
        what = "is not writable" if ancestor == folder else f"cannot be created in {ancestor}"
        raise CarbonChainError(f"{option} {path}: the folder {folder} {what} ({err.strerror}); nothing was sent") from None
    return p


def write_text(path: str | Path, text: str) -> Path:
    """Writes ``text`` atomically (temporary file, then rename), creating the folder."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(p.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, p)
    return p


def write_json(path: str | Path, data: Any) -> Path:
    """Writes ``data`` as indented JSON atomically (temporary file, then rename)."""
    return write_text(path, json.dumps(jsonable(data), indent=2) + "\n")


_EXPECTED = {
    "hex32": "a 0x-prefixed 32-byte hex string",
    "hex": "a 0x-prefixed hex string",
    "address": "a 0x-prefixed 20-byte address",
    "int": "a whole number",
    "str": "a text value",
    "list": "a JSON list",
    "object": "a JSON object",
}


def check_fields(path: str | Path, data: Any, fields: dict[str, str]) -> dict[str, Any]:
    """Checks that ``data`` (read from ``path``) is a JSON object whose ``fields`` have the expected
    kinds (``hex32``, ``hex``, ``address``, ``int``, ``str``, ``list``, ``object``); the first wrong one is one
    CarbonChainError line naming the file, the field and what was expected. Returns ``data``."""
    if not isinstance(data, dict):
        raise CarbonChainError(f"{path}: expected a JSON object, got {type(data).__name__}")
    for name, kind in fields.items():
        value = data.get(name)
        if value is None:
            raise CarbonChainError(f"{path}: field '{name}' is missing ({_EXPECTED[kind]} expected)")
        if not _is_kind(value, kind):
            raise CarbonChainError(f"{path}: field '{name}' is {str(value)[:40]!r}, {_EXPECTED[kind]} expected")
    return data


def _is_kind(value: Any, kind: str) -> bool:
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool) or (isinstance(value, str) and value.isdigit())
    if kind in ("list", "object"):
        return isinstance(value, list if kind == "list" else dict)
    if kind == "str":
        return isinstance(value, str) and bool(value)
    if not (isinstance(value, str) and value.startswith("0x")):
        return False
    try:
        raw = bytes.fromhex(value[2:])
    except ValueError:
        return False
    return {"hex32": len(raw) == 32, "address": len(raw) == 20}.get(kind, True)
