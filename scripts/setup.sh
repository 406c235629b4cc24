#!/usr/bin/env bash
# Installs dependencies (when missing or stale) and builds the engine bundle, the Prisma client and
# the web app. Safe to run again: it skips what is already current.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> installing dependencies"
  # npm install, not npm ci: this npm records only the current platform's optional packages
  # (Next's SWC, Tailwind's oxide) in the lock and then `npm ci` rejects its own lockfile.
  npm install --no-audit --no-fund
fi
echo "==> building"
npm run --silent build
