"""Small helpers for tests: digests, files and the OpenZeppelin merkle-tree reference."""

import json
import subprocess
from pathlib import Path

from carbonchain.core.hashing import Algorithm, digest_bytes

ROOT = Path(__file__).resolve().parents[2]
ZERO32 = b"\x00" * 32
SHA, KECCAK, SM3 = int(Algorithm.SHA256), int(Algorithm.KECCAK256), int(Algorithm.SM3)


def make_digest(tag: str) -> bytes:
    return digest_bytes(tag.encode(), Algorithm.SHA256)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def oz_merkle(values: list[bytes]) -> dict:
    """Builds the tree with the npm @openzeppelin/merkle-tree package (the reference)."""
    out = subprocess.run(
        ["node", str(ROOT / "tools" / "oz-merkle.js")],
        input=json.dumps(["0x" + v.hex() for v in values]),
        capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout)
