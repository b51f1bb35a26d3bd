#!/usr/bin/env bash
# One idempotent setup step for a fresh clone on a machine with Python 3.10+, Node and npm.
#   - .venv with the pinned Python packages (pyproject.toml + constraints.txt)
#   - node_modules from package-lock.json (solc-js, anvil, OpenZeppelin)
#   - a solc for py-solc-x in ~/.solcx: the user's native solc when there is one on PATH,
#     else the solc-js shim (tools/solc/solc-shim.js)
#   - anvil where ape-foundry finds it: the user's own on PATH wins, else a link in .venv/bin
# Each step is skipped when what it would produce is already there and up to date.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null || die "python3 not found: install Python 3.10 or newer"
command -v node >/dev/null || die "node not found: install Node.js 18 or newer"
command -v npm >/dev/null || die "npm not found: install npm"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
  || die "Python 3.10 or newer is needed (found $("$PYTHON" --version 2>&1))"

hash_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

# --- Python ---------------------------------------------------------------------------
PY_HASH="$(hash_of pyproject.toml constraints.txt)"
if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  "$PYTHON" -m venv .venv
fi
if [ "$(cat .venv/.carbonchain-stamp 2>/dev/null)" != "$PY_HASH" ]; then
  say "installing Python packages (pinned in constraints.txt)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=23"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e .
  echo "$PY_HASH" > .venv/.carbonchain-stamp
else
  say "Python packages up to date"
fi

# --- npm --------------------------------------------------------------------------------
NPM_HASH="$(hash_of package.json package-lock.json)"
if [ "$(cat node_modules/.carbonchain-stamp 2>/dev/null)" != "$NPM_HASH" ]; then
  say "installing npm packages (package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$NPM_HASH" > node_modules/.carbonchain-stamp
else
  say "npm packages up to date"
fi

# --- solc -------------------------------------------------------------------------------
SOLCX_DIR="${SOLCX_BINARY_PATH:-$HOME/.solcx}"
mkdir -p "$SOLCX_DIR"
MARKER="# carbonchain solc launcher"
write_launcher() { # $1 = target file, $2 = command line to exec
  local tmp
  tmp="$(mktemp)"
  printf '#!/bin/sh\n%s (written by %s/tools/setup.sh)\n# Adds this project as an include path: ape-solidity compiles in a temporary copy that lacks\n# node_modules/ and interfaces/.\nexec %s\n' "$MARKER" "$ROOT" "$2" > "$tmp"
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

# --- anvil ------------------------------------------------------------------------------
NPM_ANVIL="$ROOT/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
USER_ANVIL="$(PATH="$(printf '%s' "$PATH" | tr ':' '\n' | grep -v "^$ROOT/.venv/bin\$" | paste -sd: -)" command -v anvil || true)"
if [ -n "$USER_ANVIL" ]; then
  rm -f .venv/bin/anvil
  say "anvil: yours at $USER_ANVIL"
elif [ -x "$NPM_ANVIL" ] && "$NPM_ANVIL" --version >/dev/null 2>&1; then
  ln -sf "$NPM_ANVIL" .venv/bin/anvil
  say "anvil: $("$NPM_ANVIL" --version | head -1) linked into .venv/bin"
else
  rm -f .venv/bin/anvil
  say "anvil: not available on this platform; scripts fall back to Ape's in-process provider"
fi

# --- compile ----------------------------------------------------------------------------
# Ape recompiles only the files that changed, not the files that import them: when any source
# changed since the last build, rebuild everything.
SRC_HASH="$(find contracts interfaces -name '*.sol' -print0 | sort -z | xargs -0 cat | sha256sum | cut -d' ' -f1)"
if [ "$(cat .build/.carbonchain-src-stamp 2>/dev/null)" != "$SRC_HASH" ]; then
  say "compiling contracts"
  .venv/bin/ape compile --force >/dev/null
  echo "$SRC_HASH" > .build/.carbonchain-src-stamp
else
  say "contracts up to date"
fi
say "ready"
