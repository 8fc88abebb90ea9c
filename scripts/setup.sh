#!/usr/bin/env bash
# One command to set up a fresh machine: the Debian tools the tests drive, then the npm packages.
# The Electron binary is not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD=1): everything except
# opening the Electron window runs without it.
set -euo pipefail
cd "$(dirname "$0")/.."

# command → Debian package, for the tools the test suite uses (Chromium drives the studio's
# end-to-end tests).
declare -A tools=(
  [chromium]=chromium
)
missing=()
for cmd in "${!tools[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${tools[$cmd]}")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing tools (install them with your package manager): ${missing[*]}" >&2
    echo "Tests that need them will report themselves as skipped." >&2
  fi
fi

export ELECTRON_SKIP_BINARY_DOWNLOAD=1
npm ci --no-audit --no-fund
