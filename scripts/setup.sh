#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine for Hush and runs the main job:
# system packages, npm dependencies (keytar builds from source), the local
# workbench (code-server + its Node 24) for end-to-end tests, the bundles, the
# .vsix, and a scan of a sample project with the CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$SECONDS
step() { printf '\n== %s (%ss)\n' "$1" "$((SECONDS - t0))"; }

APT_PACKAGES=(
  build-essential pkg-config python3   # node-gyp: keytar from source
  libsecret-1-dev                      # keytar: the Secret Service client
  gnome-keyring dbus dbus-x11          # a real OS keychain for the keytar tests
  libkrb5-dev                          # code-server's native modules
  chromium                             # the browser the end-to-end tests drive
  postgresql mariadb-server            # real database servers for the rotator tests (started by the tests)
  awscli python3-boto3                 # real AWS clients for the hush serve tests (Debian 12: AWS CLI 2.9, boto3 1.26)
)

step "system packages"
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "already installed"
elif [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]}"
  echo "Install them with: sudo apt-get install -y ${missing[*]}"
  exit 1
else
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  echo "installed: ${missing[*]}"
fi

step "npm dependencies"
npm ci --no-audit --no-fund

step "workbench (code-server) for end-to-end tests"
bash scripts/install-workbench.sh

step "build and package"
node scripts/package.mjs

step "scan a sample project with the CLI"
node scripts/demo.mjs

step "done"
cat <<'MSG'
Next:
  npm test                      all tests (unit, LSP integration, system, real workbench)
  npm run workbench             open a local VS Code (code-server) with Hush installed
  node dist/cli.js scan PATH    scan a folder
MSG
