"""Merkle trees compatible with OpenZeppelin's ``StandardMerkleTree`` (npm ``@openzeppelin/merkle-tree``).

For a tree of ``bytes32`` values, each leaf is ``keccak256(bytes.concat(keccak256(abi.encode(value))))``,
leaves are sorted by hash, pairs are hashed sorted (``MerkleProof.verify`` in OpenZeppelin
Contracts), and the tree is stored as a flat array with the root at index 0. ``dump()`` writes the
library's ``standard-v1`` JSON, so either side can load what the other wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from eth_abi import encode

from .hashing import keccak256, to_bytes32

LEAF_ENCODING = ["bytes32"]


def leaf_hash(value: bytes) -> bytes:
    """OpenZeppelin's standard leaf of one ``bytes32`` value."""
    return keccak256(keccak256(encode(LEAF_ENCODING, [to_bytes32(value)])))


def hash_pair(a: bytes, b: bytes) -> bytes:
    return keccak256(a + b if a <= b else b + a)


def process_proof(leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """The root a proof leads to from ``leaf`` (as ``MerkleProof.processProof``)."""
    node = leaf
    for sibling in proof:
        node = hash_pair(node, to_bytes32(sibling))
    return node


def verify(root: bytes, value: bytes, proof: Sequence[bytes]) -> bool:
    """Whether ``proof`` places ``value`` under ``root``."""
    return process_proof(leaf_hash(value), proof) == to_bytes32(root)


@dataclass(frozen=True)
class StandardMerkleTree:
    """A tree over ``bytes32`` values; build it with :meth:`of`."""

    tree: tuple[bytes, ...]
    values: tuple[bytes, ...]
    tree_indices: tuple[int, ...]  # tree_indices[i] is where values[i]'s leaf sits

    @classmethod
    def of(cls, values: Sequence[bytes | str]) -> "StandardMerkleTree":
        if not values:
            raise ValueError("a Merkle tree needs at least one value")
        vals = tuple(to_bytes32(v) for v in values)
        hashed = sorted(((leaf_hash(v), i) for i, v in enumerate(vals)), key=lambda t: t[0])
        n = len(hashed)
        tree: list[bytes] = [b""] * (2 * n - 1)
        for i, (h, _) in enumerate(hashed):
            tree[len(tree) - 1 - i] = h
        for i in range(len(tree) - 1 - n, -1, -1):
            tree[i] = hash_pair(tree[2 * i + 1], tree[2 * i + 2])
        indices = [0] * n
        for i, (_, value_index) in enumerate(hashed):
            indices[value_index] = len(tree) - 1 - i
        return cls(tree=tuple(tree), values=vals, tree_indices=tuple(indices))

    @property
    def root(self) -> bytes:
        return self.tree[0]

    def __len__(self) -> int:
        return len(self.values)

    def proof(self, index: int) -> list[bytes]:
        """The proof of ``values[index]``: sibling hashes from the leaf up."""
        i = self.tree_indices[index]
        proof = []
        while i > 0:
            sibling = i + 1 if i % 2 == 1 else i - 1
            proof.append(self.tree[sibling])
            i = (i - 1) // 2
        return proof

    def proof_of(self, value: bytes | str) -> list[bytes]:
        v = to_bytes32(value)
        try:
            return self.proof(self.values.index(v))
        except ValueError:
            raise ValueError(f"0x{v.hex()} is not in the tree") from None

    def dump(self) -> dict[str, Any]:
        """The ``standard-v1`` JSON form of ``@openzeppelin/merkle-tree``."""
        return {
            "format": "standard-v1",
            "leafEncoding": LEAF_ENCODING,
            "tree": ["0x" + h.hex() for h in self.tree],
            "values": [
                {"value": ["0x" + v.hex()], "treeIndex": t} for v, t in zip(self.values, self.tree_indices)
            ],
        }

    @classmethod
    def load(cls, data: dict[str, Any]) -> "StandardMerkleTree":
        """Loads a ``standard-v1`` dump and checks that it is consistent."""
        if data.get("format") != "standard-v1" or list(data.get("leafEncoding", [])) != LEAF_ENCODING:
            raise ValueError("not a standard-v1 Merkle tree of bytes32 values")
        tree = tuple(to_bytes32(h) for h in data["tree"])
        values = tuple(to_bytes32(v["value"][0]) for v in data["values"])
        indices = tuple(int(v["treeIndex"]) for v in data["values"])
        loaded = cls(tree=tree, values=values, tree_indices=indices)
        for i in range(len(tree)):
            left = 2 * i + 1
            if left + 1 < len(tree) and tree[i] != hash_pair(tree[left], tree[left + 1]):
                raise ValueError(f"Merkle tree dump is inconsistent at node {i}")
        for v, t in zip(values, indices):
            if tree[t] != leaf_hash(v):
                raise ValueError(f"Merkle tree dump: leaf {t} does not match its value")
        return loaded
