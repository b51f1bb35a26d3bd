"""Streamed document digests: SHA-256, Keccak-256 (Ethereum's) and SM3 (GB/T 32905-2016).

Files are read in chunks, so the size of a file never matters for memory. SM3 uses OpenSSL's
implementation through :mod:`hashlib` where the local OpenSSL has it, and otherwise the pure-Python
:class:`SM3` below (slow, but streamed and exact).
"""

from __future__ import annotations

import hashlib
import struct
from enum import IntEnum
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Protocol

from Crypto.Hash import keccak as _keccak

CHUNK_SIZE = 1 << 20


class Algorithm(IntEnum):
    """Hash algorithm codes, identical to ``IDocumentRegistry.HashAlgorithm``."""

    SHA256 = 1
    KECCAK256 = 2
    SM3 = 3

    @property
    def label(self) -> str:
        return {1: "sha256", 2: "keccak256", 3: "sm3"}[int(self)]

    @classmethod
    def parse(cls, value: "str | int | Algorithm") -> "Algorithm":
        """Accepts ``sha256``/``SHA-256``/``keccak``/``keccak256``/``sm3`` or the numeric code."""
        if isinstance(value, Algorithm):
            return value
        if isinstance(value, int):
            return cls(value)
        key = value.strip().lower().replace("-", "").replace("_", "")
        aliases = {"sha256": cls.SHA256, "keccak": cls.KECCAK256, "keccak256": cls.KECCAK256, "sm3": cls.SM3}
        if key.isdigit():
            return cls(int(key))
        if key not in aliases:
            raise ValueError(f"unknown hash algorithm {value!r} (use sha256, keccak256 or sm3)")
        return aliases[key]


class Hasher(Protocol):
    def update(self, data: bytes) -> None: ...

    def digest(self) -> bytes: ...


# ---------------------------------------------------------------------------------------------
# SM3, pure Python (GB/T 32905-2016), used where OpenSSL lacks it
# ---------------------------------------------------------------------------------------------

_SM3_IV = (0x7380166F, 0x4914B2B9, 0x172442D7, 0xDA8A0600, 0xA96F30BC, 0x163138AA, 0xE38DEE4D, 0xB0FB0E4E)
_M32 = 0xFFFFFFFF


def _rotl(x: int, n: int) -> int:
    n %= 32
    return ((x << n) | (x >> (32 - n))) & _M32


_SM3_T = [_rotl(0x79CC4519 if j < 16 else 0x7A879D8A, j) for j in range(64)]


class SM3:
    """Streaming SM3 with the ``hashlib`` interface (``update``/``digest``/``hexdigest``)."""

    digest_size = 32
    block_size = 64
    name = "sm3"

    def __init__(self, data: bytes = b"") -> None:
        self._v = list(_SM3_IV)
        self._buf = b""
        self._len = 0
        if data:
            self.update(data)

    def update(self, data: bytes) -> None:
        self._len += len(data)
        buf = self._buf + bytes(data)
        n = len(buf) // 64 * 64
        for off in range(0, n, 64):
            self._compress(buf[off : off + 64])
        self._buf = buf[n:]

    def _compress(self, block: bytes) -> None:
        w = list(struct.unpack(">16I", block))
        for j in range(16, 68):
            x = w[j - 16] ^ w[j - 9] ^ _rotl(w[j - 3], 15)
            w.append((x ^ _rotl(x, 15) ^ _rotl(x, 23)) ^ _rotl(w[j - 13], 7) ^ w[j - 6])
        a, b, c, d, e, f, g, h = self._v
        for j in range(64):
            a12 = _rotl(a, 12)
            ss1 = _rotl((a12 + e + _SM3_T[j]) & _M32, 7)
            ss2 = ss1 ^ a12
            if j < 16:
                ff = a ^ b ^ c
                gg = e ^ f ^ g
            else:
                ff = (a & b) | (a & c) | (b & c)
                gg = (e & f) | (~e & g)
            tt1 = (ff + d + ss2 + (w[j] ^ w[j + 4])) & _M32
            tt2 = (gg + h + ss1 + w[j]) & _M32
            d, c, b, a = c, _rotl(b, 9), a, tt1
            h, g, f, e = g, _rotl(f, 19), e, tt2 ^ _rotl(tt2, 9) ^ _rotl(tt2, 17)
        self._v = [x ^ y for x, y in zip(self._v, (a, b, c, d, e, f, g, h))]

    def copy(self) -> "SM3":
        other = SM3.__new__(SM3)
        other._v, other._buf, other._len = list(self._v), self._buf, self._len
        return other

    def digest(self) -> bytes:
        tail = self.copy()
        bit_len = self._len * 8
        pad = b"\x80" + b"\x00" * ((55 - self._len) % 64) + struct.pack(">Q", bit_len)
        buf = tail._buf + pad
        for off in range(0, len(buf), 64):
            tail._compress(buf[off : off + 64])
        return struct.pack(">8I", *tail._v)

    def hexdigest(self) -> str:
        return self.digest().hex()


def _openssl_sm3() -> Callable[[], Hasher] | None:
    try:
        hashlib.new("sm3", b"abc")
    except (ValueError, TypeError):
        return None
    return lambda: hashlib.new("sm3")


_SM3_FACTORY = _openssl_sm3() or SM3


def new_hasher(algorithm: Algorithm | str | int) -> Hasher:
    """A fresh streaming hasher for ``algorithm``."""
    alg = Algorithm.parse(algorithm)
    if alg is Algorithm.SHA256:
        return hashlib.sha256()
    if alg is Algorithm.KECCAK256:
        return _keccak.new(digest_bits=256)
    return _SM3_FACTORY()


def digest_bytes(data: bytes, algorithm: Algorithm | str | int = Algorithm.SHA256) -> bytes:
    """The 32-byte digest of ``data``."""
    h = new_hasher(algorithm)
    h.update(data)
    return h.digest()


def digest_stream(
    stream: BinaryIO,
    algorithms: Iterable[Algorithm | str | int],
    *,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int], None] | None = None,
) -> dict[Algorithm, bytes]:
    """Reads ``stream`` once and returns its digest in each of ``algorithms``.

    ``progress`` is called with the number of bytes read after each chunk.
    """
    hashers = {Algorithm.parse(a): None for a in algorithms}
    live = {a: new_hasher(a) for a in hashers}
    while chunk := stream.read(chunk_size):
        for h in live.values():
            h.update(chunk)
        if progress is not None:
            progress(len(chunk))
    return {a: h.digest() for a, h in live.items()}


def digest_file(
    path: str | Path,
    algorithm: Algorithm | str | int = Algorithm.SHA256,
    *,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """The digest of a file, read in 1 MiB chunks."""
    alg = Algorithm.parse(algorithm)
    with open(path, "rb") as fh:
        return digest_stream(fh, [alg], progress=progress)[alg]


def digest_file_all(path: str | Path, *, progress: Callable[[int], None] | None = None) -> dict[Algorithm, bytes]:
    """The file's digest in every supported algorithm, in one pass over the file."""
    with open(path, "rb") as fh:
        return digest_stream(fh, list(Algorithm), progress=progress)


def keccak256(data: bytes) -> bytes:
    """Ethereum's Keccak-256 (not NIST SHA3-256)."""
    return digest_bytes(data, Algorithm.KECCAK256)


def to_bytes32(value: str | bytes) -> bytes:
    """Parses a 32-byte digest given as bytes or hex (with or without ``0x``)."""
    if isinstance(value, (bytes, bytearray)):
        raw = bytes(value)
    else:
        text = value.strip().lower()
        text = text[2:] if text.startswith("0x") else text
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            raise ValueError(f"not a hex digest: {value!r}") from None
    if len(raw) != 32:
        raise ValueError(f"a digest is 32 bytes, got {len(raw)}")
    return raw


def digest_evidence(path: str | Path, algorithm: "Algorithm | str | int", *, allow_empty: bool = False) -> bytes:
    """The digest of a file about to go on chain as evidence: an empty file is refused (see
    :func:`refuse_empty`) unless ``allow_empty``."""
    refuse_empty([path], allow_empty)
    return digest_file(path, Algorithm.parse(algorithm))


def refuse_empty(paths: Iterable[str | Path], allow_empty: bool = False) -> None:
    """Refuses empty files before anything is hashed or sent, unless ``allow_empty``: every empty
    file has the same digest, so an anchored empty file makes every empty file verify (issue 9)."""
    if allow_empty:
        return
    from .errors import CarbonChainError

    for path in paths:
        p = Path(path)
        if p.is_file() and p.stat().st_size == 0:
            raise CarbonChainError(
                f"{path} is empty: every empty file has this digest, so it would prove nothing; "
                "pass --allow-empty to use it anyway"
            )
