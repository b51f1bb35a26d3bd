#!/usr/bin/env node
// Reference oracle for tests: resolves a did:ethr DID with the npm ethr-did-resolver against a
// local node. Usage: node tools/resolve-did.js RPC_URL CHAIN_ID REGISTRY DID [BLOCK] -> DID document JSON
// With BLOCK (a block number), delegates' validity is judged at that block's time, the chain's clock,
// as the Python resolver does; without it, ethr-did-resolver judges it by this machine's wall clock.
"use strict";
const fs = require("fs");
const path = require("path");
const nm = path.join(__dirname, "..", "node_modules");
const { Resolver } = require(path.join(nm, "did-resolver"));
const { getResolver } = require(path.join(nm, "ethr-did-resolver"));

async function main() {
  const [rpcUrl, chainId, registry, did, block] = process.argv.slice(2);
  const id = Number(chainId);
  const resolver = new Resolver(
    getResolver({ networks: [{ name: "0x" + id.toString(16), chainId: id, rpcUrl, registry }] })
  );
  const result = await resolver.resolve(did, block === undefined ? {} : { blockTag: Number(block) });
  fs.writeSync(1, JSON.stringify(result));
}

main().catch((e) => {
  fs.writeSync(2, String((e && e.stack) || e) + "\n");
  process.exitCode = 1;
});
