"""EVM bytecode inspection: which opcodes a build really uses.

The conservative build (``profiles/london``) targets chains whose EVM predates Shanghai and Cancun
(many Besu/QBFT, Quorum and FISCO BCOS networks). :func:`forbidden_opcodes` walks the bytecode
instruction by instruction as the EVM decodes it (PUSH data is never read as code), skips what can
never run (after STOP, RETURN, REVERT, INVALID, JUMP or SELFDESTRUCT, nothing runs until the next
JUMPDEST: that is where solc keeps constants and its CBOR metadata), and reports any reachable
PUSH0 (Shanghai), MCOPY, TLOAD or TSTORE (Cancun): such a contract would fail at its first use of
that instruction on an older chain.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

#: Opcodes a london (or berlin/paris) EVM does not know, with the fork that introduced them.
NEWER_OPCODES: dict[int, tuple[str, str]] = {
    0x5F: ("PUSH0", "shanghai"),
    0x5C: ("TLOAD", "cancun"),
    0x5D: ("TSTORE", "cancun"),
    0x5E: ("MCOPY", "cancun"),
}

# solc appends CBOR metadata: a map with "ipfs" (or "bzzr0/1") and "solc", then its 2-byte length.
_METADATA = re.compile(rb"\xa2\x64ipfs\x58\x22.{34}\x64solc\x43.{3}\x00\x33|\xa1\x65bzzr[01]\x58\x20.{32}\x00\x29", re.S)


@dataclass(frozen=True)
class Hit:
    offset: int
    name: str
    fork: str


def instructions(code: bytes):
    """(offset, opcode) of every instruction; PUSH1..PUSH32 data is skipped, never read as code."""
    i = 0
    while i < len(code):
        op = code[i]
        yield i, op
        i += 1 + (op - 0x5F if 0x60 <= op <= 0x7F else 0)


# After these, the next instruction runs only if something jumps to it (a JUMPDEST).
_HALTS = {0x00, 0x56, 0xF3, 0xFD, 0xFE, 0xFF}
_JUMPDEST = 0x5B
# solc lays a code object out as [code][sub-objects: contracts it creates, each ending in its own
# metadata][data][metadata]. After a metadata block comes either another sub-object, which opens
# with solc's free-memory-pointer prologue (PUSH1/PUSH2 size, PUSH1 0x40, MSTORE: 0x6080604052 or,
# with immutables, a larger size), or data that never runs (a 0x5b in it is no JUMPDEST).
_PROLOGUE = re.compile(rb"(?:\x60.|\x61..)\x60\x40\x52", re.S)


def forbidden_opcodes(code: bytes | str, forbidden: dict[int, tuple[str, str]] = NEWER_OPCODES) -> list[Hit]:
    """Every instruction in ``code`` whose opcode is in ``forbidden`` (metadata blobs are data)."""
    if isinstance(code, str):
        code = bytes.fromhex(code[2:] if code.startswith("0x") else code)
    hits: list[Hit] = []
    start = 0
    # Metadata sits after the code it describes (and, in creation code, at the end of each embedded
    # runtime); split around it so that its bytes are never decoded as instructions.
    segments = []
    for m in _METADATA.finditer(code):
        segments.append((start, code[start : m.start()]))
        start = m.end()
    segments.append((start, code[start:]))
    for base, segment in segments:
        if base > 0 and not _PROLOGUE.match(segment):
            continue  # data after a sub-object (e.g. a contract the constructor creates)
        reachable = True
        for off, op in instructions(segment):
            if op == _JUMPDEST:
                reachable = True
            if not reachable:
                continue
            if op in _HALTS:
                reachable = False
            elif op in forbidden:
                name, fork = forbidden[op]
                hits.append(Hit(base + off, name, fork))
    return hits


#: EIP-170 (Spurious Dragon): a contract's runtime code may not exceed this many bytes on any EVM.
MAX_RUNTIME_SIZE = 24_576


def oversized(path: Path) -> dict[str, int]:
    """contract name -> runtime size for every contract above EIP-170's limit (it cannot be deployed)."""
    manifest = json.loads(Path(path).read_text())
    sizes = {}
    for name, ct in sorted((manifest.get("contractTypes") or {}).items()):
        code = ((ct.get("runtimeBytecode") or {}).get("bytecode")) or "0x"
        size = (len(code) - 2) // 2
        if size > MAX_RUNTIME_SIZE:
            sizes[name] = size
    return sizes


def check_manifest(path: Path) -> dict[str, list[Hit]]:
    """contract name -> hits (creation and runtime code) for every contract in an Ape build manifest."""
    manifest = json.loads(Path(path).read_text())
    found: dict[str, list[Hit]] = {}
    for name, ct in sorted((manifest.get("contractTypes") or {}).items()):
        hits: list[Hit] = []
        for key in ("deploymentBytecode", "runtimeBytecode"):
            code = ((ct.get(key) or {}).get("bytecode")) or ""
            if code and code != "0x":
                hits += forbidden_opcodes(code)
        found[name] = hits
    return found


def main(argv: list[str] | None = None) -> int:
    """``python tools/check_opcodes.py MANIFEST``: exit 1 when any contract uses a newer opcode or
    is too large to deploy."""
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print("usage: python tools/check_opcodes.py profiles/london/.build/__local__.json", file=sys.stderr)
        return 2
    path = Path(args[0])
    if not path.is_file():
        print(f"error: no build manifest at {path}: compile first", file=sys.stderr)
        return 1
    found = check_manifest(path)
    bad = {name: hits for name, hits in found.items() if hits}
    for name, hits in bad.items():
        names = sorted({f"{h.name} ({h.fork})" for h in hits})
        print(f"{name}: {len(hits)} instruction(s) a london EVM lacks: {', '.join(names)}; first at byte {hits[0].offset}")
    too_big = oversized(path)
    for name, size in too_big.items():
        print(f"{name}: runtime code is {size:,} bytes, over EIP-170's {MAX_RUNTIME_SIZE:,}: it cannot be deployed")
    print(f"{len(found)} contracts checked, {len(bad)} use PUSH0/MCOPY/TLOAD/TSTORE, {len(too_big)} over the size limit")
    return 1 if bad or too_big else 0


if __name__ == "__main__":
    sys.exit(main())
