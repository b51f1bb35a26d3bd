#!/usr/bin/env node
// solc command-line shim over solc-js (npm "solc", WebAssembly build).
//
// Native solc binaries cannot be downloaded on our machines; py-solc-x (and so ape-solidity)
// treats any executable named `solc-v<version>` in ~/.solcx as an installed compiler. This shim
// answers the two calls they make:
//   solc --version
//   solc --standard-json [--base-path DIR] [--include-path DIR]... [--allow-paths A,B]
// Imports missing from the standard-JSON input are resolved against the base path and the include
// paths, exactly like native solc. Output is written with fs.writeSync so that large JSON outputs
// are never truncated on a pipe.
"use strict";
const fs = require("fs");
const path = require("path");

const solc = require(path.join(__dirname, "..", "..", "node_modules", "solc"));

function write(fd, text) {
  const buf = Buffer.from(text, "utf8");
  let off = 0;
  while (off < buf.length) {
    off += fs.writeSync(fd, buf, off, buf.length - off);
  }
}

function parseArgs(argv) {
  const opts = { basePath: null, includePaths: [], allowPaths: [], standardJson: false, version: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`option ${a} needs a value`);
      return argv[++i];
    };
    if (a === "--version") opts.version = true;
    else if (a === "--standard-json") opts.standardJson = true;
    else if (a === "--base-path") opts.basePath = next();
    else if (a === "--include-path") opts.includePaths.push(next());
    else if (a === "--allow-paths") opts.allowPaths.push(...next().split(","));
    else if (a.startsWith("--base-path=")) opts.basePath = a.slice(12);
    else if (a.startsWith("--include-path=")) opts.includePaths.push(a.slice(15));
    else if (a.startsWith("--allow-paths=")) opts.allowPaths.push(...a.slice(14).split(","));
    else throw new Error(`unsupported argument for the solc-js shim: ${a}`);
  }
  return opts;
}

function versionLine() {
  // solc-js reports e.g. "0.8.37+commit.f401782d.Emscripten.clang"; keep version and commit.
  const m = /^(\d+\.\d+\.\d+)(\+commit\.[0-9a-f]+)/.exec(solc.version());
  return `Version: ${m ? m[1] + m[2] : solc.version()}.Linux.g++`;
}

function makeImportCallback(opts) {
  const roots = [];
  if (opts.basePath) roots.push(path.resolve(opts.basePath));
  for (const p of opts.includePaths) roots.push(path.resolve(p));
  if (roots.length === 0) roots.push(process.cwd());
  return (importPath) => {
    const candidates = path.isAbsolute(importPath) ? [importPath] : roots.map((r) => path.join(r, importPath));
    for (const c of candidates) {
      try {
        return { contents: fs.readFileSync(c, "utf8") };
      } catch (_) {
        /* try the next root */
      }
    }
    return { error: `File not found: ${importPath} (searched ${roots.join(", ")})` };
  };
}

function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    write(2, `Error: ${e.message}\n`);
    return 1;
  }
  if (opts.version) {
    write(1, `solc, the solidity compiler commandline interface (solc-js shim)\n${versionLine()}\n`);
    return 0;
  }
  if (!opts.standardJson) {
    write(2, "Error: the solc-js shim supports only --version and --standard-json\n");
    return 1;
  }
  const input = fs.readFileSync(0, "utf8");
  const output = solc.compile(input, { import: makeImportCallback(opts) });
  write(1, output);
  return 0;
}

process.exitCode = main();
