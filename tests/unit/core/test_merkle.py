"""StandardMerkleTree: properties for any size and leaf, and agreement with @openzeppelin/merkle-tree."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carbonchain.core.merkle import StandardMerkleTree, leaf_hash, process_proof, verify
from tests.utils.docs import oz_merkle

digests = st.binary(min_size=32, max_size=32)
unique_lists = st.lists(digests, min_size=1, max_size=70, unique=True)


@settings(max_examples=80, deadline=None)
@given(unique_lists)
def test_every_leaf_proves_against_root(values):
    tree = StandardMerkleTree.of(values)
    for i, v in enumerate(values):
        proof = tree.proof(i)
        assert verify(tree.root, v, proof)
        assert len(proof) <= len(values).bit_length()


@settings(max_examples=80, deadline=None)
@given(unique_lists, digests)
def test_outsider_never_proves(values, outsider):
    if outsider in values:
        return
    tree = StandardMerkleTree.of(values)
    for i in range(len(values)):
        assert not verify(tree.root, outsider, tree.proof(i))


@settings(max_examples=60, deadline=None)
@given(unique_lists.filter(lambda v: len(v) >= 2), st.data())
def test_a_proof_proves_only_its_own_leaf(values, data):
    tree = StandardMerkleTree.of(values)
    i = data.draw(st.integers(0, len(values) - 1))
    j = data.draw(st.integers(0, len(values) - 1).filter(lambda k: k != i))
    assert not verify(tree.root, values[j], tree.proof(i))


@settings(max_examples=40, deadline=None)
@given(unique_lists)
def test_root_is_independent_of_input_order(values):
    assert StandardMerkleTree.of(values).root == StandardMerkleTree.of(list(reversed(values))).root


@settings(max_examples=40, deadline=None)
@given(unique_lists)
def test_dump_load_roundtrip(values):
    tree = StandardMerkleTree.of(values)
    again = StandardMerkleTree.load(tree.dump())
    assert again == tree


def test_single_leaf_tree():
    v = b"\x11" * 32
    tree = StandardMerkleTree.of([v])
    assert tree.root == leaf_hash(v) and tree.proof(0) == []


def test_empty_tree_is_refused():
    with pytest.raises(ValueError, match="at least one"):
        StandardMerkleTree.of([])


def test_load_rejects_tampered_dump():
    tree = StandardMerkleTree.of([bytes([i]) * 32 for i in range(5)])
    dump = tree.dump()
    dump["tree"][1] = "0x" + "00" * 32
    with pytest.raises(ValueError, match="inconsistent"):
        StandardMerkleTree.load(dump)
    with pytest.raises(ValueError, match="standard-v1"):
        StandardMerkleTree.load({"format": "simple-v1"})


def test_proof_of_unknown_value():
    tree = StandardMerkleTree.of([b"\x01" * 32])
    with pytest.raises(ValueError, match="not in the tree"):
        tree.proof_of(b"\x02" * 32)


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13, 100])
def test_matches_openzeppelin_library(size):
    values = [leaf_hash(i.to_bytes(32, "big")) for i in range(size)]  # arbitrary distinct digests
    ref = oz_merkle(values)
    ours = StandardMerkleTree.of(values)
    assert "0x" + ours.root.hex() == ref["root"]
    assert ours.dump() == ref["dump"]
    for i in range(size):
        assert ["0x" + p.hex() for p in ours.proof(i)] == ref["proofs"][i]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unique_lists)
def test_matches_openzeppelin_library_for_any_values(values):
    ref = oz_merkle(values)
    tree = StandardMerkleTree.of(values)
    assert "0x" + tree.root.hex() == ref["root"]
    loaded = StandardMerkleTree.load(ref["dump"])  # a dump made by the npm library loads here
    assert loaded.root == tree.root
    assert process_proof(leaf_hash(values[0]), [bytes.fromhex(p[2:]) for p in ref["proofs"][0]]) == tree.root
