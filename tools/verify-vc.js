#!/usr/bin/env node
// Reference oracle for tests: verifies a VC-JWT with the standard did-jwt-vc library, resolving
// did:ethr issuers against a local node. Usage: node tools/verify-vc.js RPC_URL CHAIN_ID REGISTRY JWT [NOW]
// With NOW (unix seconds, the chain's clock), nbf/exp are judged at that time, as the Python verifier
// does; without it, did-jwt judges them by this machine's wall clock.
"use strict";
const fs = require("fs");
const path = require("path");
const nm = path.join(__dirname, "..", "node_modules");
const { Resolver } = require(path.join(nm, "did-resolver"));
const { getResolver } = require(path.join(nm, "ethr-did-resolver"));
const { verifyCredential } = require(path.join(nm, "did-jwt-vc"));

async function main() {
  const [rpcUrl, chainId, registry, jwt, now] = process.argv.slice(2);
  const id = Number(chainId);
  const resolver = new Resolver(
    getResolver({ networks: [{ name: "0x" + id.toString(16), chainId: id, rpcUrl, registry }] })
  );
  const options = now === undefined ? {} : { policies: { now: Number(now) } };
  const verified = await verifyCredential(jwt, resolver, options);
  fs.writeSync(1, JSON.stringify({ verified: true, issuer: verified.issuer, signer: verified.signer.id, payload: verified.payload }));
}

main().catch((e) => {
  fs.writeSync(1, JSON.stringify({ verified: false, error: String((e && e.message) || e) }));
});
