#!/usr/bin/env node
// solc command-line shim over solc-js (npm "solc", WebAssembly build).
//
// Native solc binaries cannot be downloaded on our machines; py-solc-x (and so ape-solidity)
// treats any executable named `solc-v<version>` in ~/.solcx as an installed compiler. This shim
// answers the calls they make, and the one Slither (crytic-compile) makes:
//   solc --version
//   solc --standard-json [--base-path DIR] [--include-path DIR]... [--allow-paths A,B]
//   solc [prefix=target]... FILE... --combined-json abi,ast,bin,... [--allow-paths A,B]
//        [--optimize] [--optimize-runs N] [--evm-version V] [--via-ir]
// Imports missing from the input are resolved against the base path and the include paths,
// exactly like native solc, and only inside the allowed directories (the base path, the include
// paths, --allow-paths and, with --combined-json, the directories of the input files): an absolute
// or `..` import that leads elsewhere is refused as native solc refuses it. Paths are compared after
// lexical normalisation (symbolic links inside an allowed directory are the project's own choice).
// Output is written with fs.writeSync so that large JSON outputs are never truncated on a pipe.
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
  const opts = {
    basePath: null,
    includePaths: [],
    allowPaths: [],
    standardJson: false,
    version: false,
    combinedJson: null,
    files: [],
    remappings: [],
    optimize: false,
    optimizeRuns: 200,
    evmVersion: null,
    viaIR: false,
  };
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
    else if (a === "--combined-json") opts.combinedJson = next().split(",");
    else if (a === "--optimize") opts.optimize = true;
    else if (a === "--optimize-runs") opts.optimizeRuns = Number(next());
    else if (a === "--evm-version") opts.evmVersion = next();
    else if (a === "--via-ir" || a === "--experimental-via-ir") opts.viaIR = true;
    else if (!a.startsWith("-") && a.includes("=")) opts.remappings.push(a);
    else if (!a.startsWith("-")) opts.files.push(a);
    else throw new Error(`unsupported argument for the solc-js shim: ${a}`);
  }
  return opts;
}

function versionLine() {
  // solc-js reports e.g. "0.8.37+commit.f401782d.Emscripten.clang"; keep version and commit.
  const m = /^(\d+\.\d+\.\d+)(\+commit\.[0-9a-f]+)/.exec(solc.version());
  return `Version: ${m ? m[1] + m[2] : solc.version()}.Linux.g++`;
}

function isInside(dir, file) {
  const rel = path.relative(dir, file);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

function makeImportCallback(opts, extraAllowed = []) {
  const roots = [];
  if (opts.basePath) roots.push(path.resolve(opts.basePath));
  for (const p of opts.includePaths) roots.push(path.resolve(p));
  if (roots.length === 0) roots.push(process.cwd());
  const allowed = roots.concat(opts.allowPaths.filter((p) => p !== "").map((p) => path.resolve(p)), extraAllowed);
  return (importPath) => {
    const candidates = path.isAbsolute(importPath) ? [path.resolve(importPath)] : roots.map((r) => path.resolve(r, importPath));
    let refused = null;
    for (const c of candidates) {
      if (!allowed.some((dir) => isInside(dir, c))) {
        refused = c;
        continue;
      }
      try {
        return { contents: fs.readFileSync(c, "utf8") };
      } catch (_) {
        /* try the next root */
      }
    }
    if (refused !== null) {
      return { error: `File outside of allowed directories: ${importPath} (allowed: ${allowed.join(", ")})` };
    }
    return { error: `File not found: ${importPath} (searched ${roots.join(", ")})` };
  };
}

// solc --combined-json: the legacy output Slither reads, produced from a standard-JSON compile.
function combinedJson(opts) {
  if (opts.files.length === 0) throw new Error("--combined-json needs at least one input file");
  const base = path.resolve(opts.basePath || process.cwd());
  const sources = {};
  const fileDirs = [];
  for (const f of opts.files) {
    const abs = path.resolve(f);
    fileDirs.push(path.dirname(abs));
    // Like native solc: a file under the base path is named relative to it.
    const name = isInside(base, abs) ? path.relative(base, abs).split(path.sep).join("/") : abs;
    sources[name] = { content: fs.readFileSync(abs, "utf8") };
  }
  const wanted = new Set(opts.combinedJson);
  const settings = {
    remappings: opts.remappings,
    optimizer: { enabled: opts.optimize, runs: opts.optimizeRuns },
    viaIR: opts.viaIR,
    outputSelection: {
      "*": {
        "*": [
          "abi",
          "evm.bytecode.object",
          "evm.bytecode.sourceMap",
          "evm.deployedBytecode.object",
          "evm.deployedBytecode.sourceMap",
          "evm.methodIdentifiers",
          "userdoc",
          "devdoc",
        ],
        "": ["ast"],
      },
    },
  };
  if (opts.evmVersion) settings.evmVersion = opts.evmVersion;
  const input = { language: "Solidity", sources, settings };
  const out = JSON.parse(solc.compile(JSON.stringify(input), { import: makeImportCallback(opts, fileDirs) }));
  const errors = (out.errors || []).filter((e) => e.severity === "error");
  for (const e of out.errors || []) write(2, (e.formattedMessage || e.message) + "\n");
  if (errors.length > 0) return null;
  const contracts = {};
  for (const [file, byName] of Object.entries(out.contracts || {})) {
    for (const [name, c] of Object.entries(byName)) {
      const entry = {};
      const evm = c.evm || {};
      if (wanted.has("abi")) entry.abi = c.abi;
      if (wanted.has("bin")) entry.bin = evm.bytecode.object;
      if (wanted.has("bin-runtime")) entry["bin-runtime"] = evm.deployedBytecode.object;
      if (wanted.has("srcmap")) entry.srcmap = evm.bytecode.sourceMap;
      if (wanted.has("srcmap-runtime")) entry["srcmap-runtime"] = evm.deployedBytecode.sourceMap;
      if (wanted.has("userdoc")) entry.userdoc = c.userdoc;
      if (wanted.has("devdoc")) entry.devdoc = c.devdoc;
      if (wanted.has("hashes")) entry.hashes = evm.methodIdentifiers;
      contracts[`${file}:${name}`] = entry;
    }
  }
  const sourceList = Object.keys(out.sources || {}).sort((a, b) => out.sources[a].id - out.sources[b].id);
  const srcs = {};
  for (const name of sourceList) {
    srcs[name] = wanted.has("ast") ? { AST: out.sources[name].ast, id: out.sources[name].id } : { id: out.sources[name].id };
  }
  return { contracts, sourceList, sources: srcs, version: /^(\S+)/.exec(solc.version())[1] };
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
  if (opts.combinedJson) {
    let result;
    try {
      result = combinedJson(opts);
    } catch (e) {
      write(2, `Error: ${e.message}\n`);
      return 1;
    }
    if (result === null) return 1;
    write(1, JSON.stringify(result));
    return 0;
  }
  if (!opts.standardJson) {
    write(2, "Error: the solc-js shim supports only --version, --standard-json and --combined-json\n");
    return 1;
  }
  const input = fs.readFileSync(0, "utf8");
  const output = solc.compile(input, { import: makeImportCallback(opts) });
  write(1, output);
  return 0;
}

process.exitCode = main();
