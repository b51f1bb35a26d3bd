"""Digests: published test vectors, streaming equivalence, SM3 against two other implementations."""

import hashlib

import pytest
from gmssl import func, sm3
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonchain.core.hashing import (
    SM3,
    Algorithm,
    digest_bytes,
    digest_file,
    digest_file_all,
    keccak256,
    new_hasher,
    to_bytes32,
)

# GB/T 32905-2016 appendix A examples
SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
SM3_ABCD16 = "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def test_sha256_vector():
    assert digest_bytes(b"abc", "sha256").hex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_keccak256_is_ethereum_keccak_not_sha3():
    assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    assert keccak256(b"") != hashlib.sha3_256(b"").digest()


@pytest.mark.parametrize("data,expected", [(b"abc", SM3_ABC), (b"abcd" * 16, SM3_ABCD16)])
def test_sm3_standard_vectors(data, expected):
    assert SM3(data).hexdigest() == expected
    assert digest_bytes(data, Algorithm.SM3).hex() == expected


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_pure_python_sm3_matches_gmssl(data):
    assert SM3(data).hexdigest() == sm3.sm3_hash(func.bytes_to_list(data))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400), st.lists(st.integers(min_value=1, max_value=130), min_size=1, max_size=8))
def test_streaming_equals_one_shot(data, cuts):
    for alg in Algorithm:
        h = new_hasher(alg)
        pos, i = 0, 0
        while pos < len(data):
            step = cuts[i % len(cuts)]
            h.update(data[pos : pos + step])
            pos, i = pos + step, i + 1
        assert h.digest() == digest_bytes(data, alg)
    s = SM3()
    for k in range(0, len(data), 7):
        s.update(data[k : k + 7])
    assert s.digest() == SM3(data).digest()


def test_openssl_sm3_agrees_when_available():
    try:
        ref = hashlib.new("sm3", b"abc").hexdigest()
    except ValueError:
        pytest.skip("this OpenSSL has no SM3; the pure-Python SM3 is in use and tested above")
    assert ref == SM3_ABC


def test_file_digests_stream_across_chunks(tmp_path):
    data = bytes(range(256)) * 4200  # 1.08 MB: a full 1 MiB chunk and a partial one
    f = tmp_path / "big.bin"
    f.write_bytes(data)
    seen = []
    all_three = digest_file_all(f, progress=seen.append)
    assert sum(seen) == len(data) and len(seen) == 2
    assert all_three[Algorithm.SHA256] == hashlib.sha256(data).digest()
    assert all_three[Algorithm.SM3] == digest_file(f, "sm3") == bytes.fromhex(sm3.sm3_hash(func.bytes_to_list(data)))
    assert all_three[Algorithm.KECCAK256] == keccak256(data)


@pytest.mark.parametrize("text,alg", [("SHA-256", 1), ("sha256", 1), ("keccak", 2), ("Keccak256", 2), ("SM3", 3), ("3", 3)])
def test_algorithm_parse(text, alg):
    assert Algorithm.parse(text) == alg


def test_algorithm_parse_rejects_unknown():
    with pytest.raises(ValueError, match="unknown hash algorithm"):
        Algorithm.parse("md5")


def test_to_bytes32():
    assert to_bytes32("0x" + "ab" * 32) == b"\xab" * 32
    assert to_bytes32("AB" * 32) == b"\xab" * 32
    with pytest.raises(ValueError, match="32 bytes"):
        to_bytes32("0x1234")
    with pytest.raises(ValueError, match="not a hex digest"):
        to_bytes32("0xzz" + "00" * 31)
