#!/usr/bin/env node
// Reference oracle for tests: verifies a VC-JWT with the standard did-jwt-vc library, resolving
// did:ethr issuers against a local node. Usage: node tools/verify-vc.js RPC_URL CHAIN_ID REGISTRY JWT
"use strict";
const fs = require("fs");
const path = require("path");
const nm = path.join(__dirname, "..", "node_modules");
const { Resolver } = require(path.join(nm, "did-resolver"));
const { getResolver } = require(path.join(nm, "ethr-did-resolver"));
const { verifyCredential } = require(path.join(nm, "did-jwt-vc"));

async function main() {
  const [rpcUrl, chainId, registry, jwt] = process.argv.slice(2);
  const id = Number(chainId);
  const resolver = new Resolver(
    getResolver({ networks: [{ name: "0x" + id.toString(16), chainId: id, rpcUrl, registry }] })
  );
  const verified = await verifyCredential(jwt, resolver);
  fs.writeSync(1, JSON.stringify({ verified: true, issuer: verified.issuer, signer: verified.signer.id, payload: verified.payload }));
}

main().catch((e) => {
  fs.writeSync(1, JSON.stringify({ verified: false, error: String((e && e.message) || e) }));
});
