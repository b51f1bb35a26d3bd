#!/usr/bin/env node
// Reference oracle for tests: builds an @openzeppelin/merkle-tree StandardMerkleTree of bytes32
// values read as a JSON array on stdin and prints {root, dump, proofs}.
"use strict";
const fs = require("fs");
const path = require("path");
const { StandardMerkleTree } = require(path.join(__dirname, "..", "node_modules", "@openzeppelin", "merkle-tree"));
const values = JSON.parse(fs.readFileSync(0, "utf8"));
const tree = StandardMerkleTree.of(values.map((v) => [v]), ["bytes32"]);
const proofs = values.map((_, i) => tree.getProof(i));
fs.writeSync(1, JSON.stringify({ root: tree.root, dump: tree.dump(), proofs }));
