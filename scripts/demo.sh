#!/usr/bin/env bash
# The main job on the embedded demo: set everything up, write the demo scenario (several sources
# landed in one space, with planted problems) into data/demo, scan it into the catalog, and serve
# the web app on http://127.0.0.1:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
# The demo is for the person at this machine: no sign-in, every role, loopback only.
export RECONCILE_AUTH=local
export RECONCILE_DATA_DIR="${RECONCILE_DATA_DIR:-data}"
DEMO_DIR="$RECONCILE_DATA_DIR/demo"
CONFIG="$DEMO_DIR/reconcile.yaml"
HOST="${RECONCILE_DEMO_HOST:-127.0.0.1}"
PORT="${RECONCILE_DEMO_PORT:-3000}"

bash scripts/setup.sh

reconcile() { node bin/reconcile.js "$@"; }
# Later stages join the demo as soon as the CLI offers them (reconcile --help lists only working commands).
has_command() { reconcile --help | grep -qE "^  $1( |\$)"; }

if [ -f "$DEMO_DIR/expected.json" ]; then
  echo "==> reusing the demo scenario in $DEMO_DIR (delete it, or run reconcile demo --force, for a fresh one)"
else
  echo "==> writing the demo scenario to $DEMO_DIR"
  reconcile demo --out "$DEMO_DIR"
fi

echo "==> scanning the demo space into the catalog"
reconcile --config "$CONFIG" scan
if has_command plan; then
  echo "==> classifying what the transfers left behind and proposing a plan"
  reconcile --config "$CONFIG" plan
elif has_command findings; then
  echo "==> classifying what the transfers left behind"
  reconcile --config "$CONFIG" findings >/dev/null
fi

if has_command recover; then
  echo "==> the recovery loop, in a second terminal once decisions are approved (the origins are in $DEMO_DIR/origins):"
  echo "    node bin/reconcile.js --config $CONFIG run; node bin/reconcile.js --config $CONFIG recover --fetch;"
  echo "    node bin/reconcile.js --config $CONFIG scan; node bin/reconcile.js --config $CONFIG plan; approve the placements; run again"
fi
echo "==> open http://$HOST:$PORT in a browser (Ctrl-C stops the server)"
exec node bin/reconcile.js --config "$CONFIG" serve --host "$HOST" --port "$PORT"
