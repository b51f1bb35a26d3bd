#!/usr/bin/env bash
# Writes this checkout's solc launcher into its own .solcx/ (py-solc-x reads SOLCX_BINARY_PATH):
# the user's native solc when there is one on PATH, else the solc-js shim. Each launcher adds this
# checkout as an include path, so two clones side by side each compile against their own
# interfaces/ and node_modules/ (tests/unit/tooling/test_two_clones.py).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
say() { printf '[setup] %s\n' "$*"; }
SOLCX_DIR="$ROOT/.solcx"
mkdir -p "$SOLCX_DIR"
MARKER="# carbonchain solc launcher"
write_launcher() { # $1 = target file, $2 = command line to exec
  local tmp
  tmp="$(mktemp)"
  printf '#!/bin/sh\n%s (written by %s/tools/solc/install-launcher.sh)\n# Adds this project as an include path: ape-solidity compiles in a temporary copy that lacks\n# node_modules/ and interfaces/.\nexec %s\n' "$MARKER" "$ROOT" "$2" > "$tmp"
  chmod +x "$tmp"
  mv "$tmp" "$1"
}
may_write() { # do not clobber a compiler that is not one of our launchers
  [ ! -e "$1" ] || grep -q "$MARKER" "$1" 2>/dev/null
}
NATIVE_SOLC="$(command -v solc || true)"
if [ -n "$NATIVE_SOLC" ] && NATIVE_VER="$("$NATIVE_SOLC" --version 2>/dev/null | sed -n 's/^Version: \([0-9]*\.[0-9]*\.[0-9]*\).*/\1/p')" && [ -n "$NATIVE_VER" ]; then
  TARGET="$SOLCX_DIR/solc-v$NATIVE_VER"
  if may_write "$TARGET"; then
    write_launcher "$TARGET" "\"$NATIVE_SOLC\" \"\$@\" --include-path \"$ROOT\""
    say "solc: native $NATIVE_VER at $NATIVE_SOLC"
  else
    say "solc: native $NATIVE_VER already installed in $SOLCX_DIR"
  fi
else
  SHIM_VER="$(node -p 'require("./node_modules/solc/package.json").version')"
  TARGET="$SOLCX_DIR/solc-v$SHIM_VER"
  if may_write "$TARGET"; then
    write_launcher "$TARGET" "node \"$ROOT/tools/solc/solc-shim.js\" --include-path \"$ROOT\" \"\$@\""
    say "solc: solc-js $SHIM_VER shim at $TARGET"
  else
    say "solc: $TARGET already installed (not ours, left alone)"
  fi
fi

