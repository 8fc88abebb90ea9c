#!/usr/bin/env bash
# One command to set up a fresh machine: the Debian tools the tests drive, then the npm packages.
# The Electron binary is not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD=1): everything except
# opening the Electron window runs without it.
set -euo pipefail
cd "$(dirname "$0")/.."

# command → Debian package, for the tools the test suite uses: Chromium drives the studio's
# end-to-end tests and runs the exports; xmllint checks manifests against the official schemas;
# qpdf and poppler check the PDF; PostgreSQL backs the learner server's tests; zip/unzip open packages the way an LMS does and are the
# benchmark's reference.
declare -A tools=(
  [chromium]=chromium
  [xmllint]=libxml2-utils
  [pdftotext]=poppler-utils
  [pdftoppm]=poppler-utils
  [qpdf]=qpdf
  [zip]=zip
  [unzip]=unzip
)
missing=()
for cmd in "${!tools[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${tools[$cmd]}")
done
# The learner server's tests start their own PostgreSQL 15 (initdb/pg_ctl are not on PATH).
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u | sed '/^$/d')
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
