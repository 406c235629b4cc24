#!/usr/bin/env bash
# The whole test suite: type check and lint, unit and integration tests (Vitest), then end-to-end
# tests (Playwright in Debian's Chromium, installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if ! command -v chromium >/dev/null 2>&1; then
  echo "==> installing Debian's chromium for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if ! command -v jdupes >/dev/null 2>&1; then
  echo "==> installing jdupes (reference for the duplicate-group differential test)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jdupes >/dev/null
fi
if ! command -v strace >/dev/null 2>&1; then
  echo "==> installing strace (crash and race injection at a system call in the apply tests)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq strace >/dev/null
fi
for tool in rsync rclone; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "==> installing $tool (the recovery loop's tests run the real tool; they skip, saying why, if this fails)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null) || echo "    could not install $tool"
  fi
done
echo "==> type check"
npx tsc --noEmit
echo "==> lint (rules, import boundaries, process.env, import cycles)"
npm run --silent lint
echo "==> unit and integration tests"
npx vitest run
echo "==> end-to-end tests"
npx playwright test
