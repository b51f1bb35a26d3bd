#!/usr/bin/env bash
# One idempotent setup step for a fresh clone on a machine with Python 3.10+, Node and npm.
#   - .venv with the pinned Python packages (pyproject.toml + constraints.txt)
#   - node_modules from package-lock.json (solc-js, anvil, OpenZeppelin)
#   - a solc for py-solc-x in this checkout's .solcx/ (SOLCX_BINARY_PATH, exported by the Makefile,
#     the venv's activate script and a .pth in the venv, so that plain `ape` finds it): the user's
#     native solc when there is one on PATH, else the solc-js shim (tools/solc/solc-shim.js).
#     Per checkout, so that two clones never compile against each other's files.
#   - .venv-lint: Slither, pinned in tools/lint/requirements.txt (its own venv: its eth-abi and
#     eth-utils majors clash with Ape's)
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
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "pip==26.3"
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
SOLCX_DIR="$ROOT/.solcx"
mkdir -p "$SOLCX_DIR"
# The venv points py-solc-x at this checkout's launchers: `source .venv/bin/activate` exports the
# variable, and a .pth sets it for any Python of the venv where it is unset (plain .venv/bin/ape).
ACTIVATE_MARK="# carbonchain: this checkout's solc launchers"
if ! grep -qF "$ACTIVATE_MARK" .venv/bin/activate; then
  printf '\n%s\nexport SOLCX_BINARY_PATH="%s"\n' "$ACTIVATE_MARK" "$SOLCX_DIR" >> .venv/bin/activate
fi
SITE="$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
PTH_LINE="import os; os.environ.setdefault('SOLCX_BINARY_PATH', '$SOLCX_DIR')"
if [ "$(cat "$SITE/carbonchain-solcx.pth" 2>/dev/null)" != "$PTH_LINE" ]; then
  printf '%s\n' "$PTH_LINE" > "$SITE/carbonchain-solcx.pth"
fi
bash tools/solc/install-launcher.sh

# --- Slither (make lint) ------------------------------------------------------------------
LINT_HASH="$(hash_of tools/lint/requirements.txt)"
if [ ! -x .venv-lint/bin/python ]; then
  say "creating .venv-lint (Slither)"
  "$PYTHON" -m venv .venv-lint
fi
if [ "$(cat .venv-lint/.carbonchain-stamp 2>/dev/null)" != "$LINT_HASH" ]; then
  say "installing Slither (pinned in tools/lint/requirements.txt)"
  .venv-lint/bin/python -m pip install --quiet --disable-pip-version-check -r tools/lint/requirements.txt
  echo "$LINT_HASH" > .venv-lint/.carbonchain-stamp
else
  say "Slither up to date"
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
