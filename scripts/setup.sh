#!/usr/bin/env bash
# Installs dependencies (when missing or stale) and builds the engine bundle, the Prisma client and
# the web app. Safe to run again: it skips what is already current.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> installing dependencies"
  # npm ci installs exactly the committed lock (it lists every platform's optional packages, so
  # npm accepts it here) and never rewrites it. It refuses a lock that no longer matches
  # package.json: that happens only mid-edit on a developer's machine, where npm install updates it.
  if ! npm ci --no-audit --no-fund; then
    echo "==> npm ci refused the lock (package.json changed?); updating it with npm install" >&2
    npm install --no-audit --no-fund
  fi
fi
echo "==> building"
npm run --silent build
