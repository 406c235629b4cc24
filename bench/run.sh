#!/usr/bin/env bash
# `npm run bench`: runs every bench/*.bench.ts (through tsx) and bench/*.bench.sh, then prints one
# summary of all their results. Benchmarks record results with bench/lib.ts `record()` (or by
# appending JSON lines {bench, metric, value, unit, target?, pass?, detail?} to $BENCH_RESULTS).
#
#   BENCH_ONLY=catalog npm run bench   only bench files whose name contains "catalog"
#   BENCH_QUICK=1 npm run bench        small trees, for a run in seconds (figures not comparable)
#   BENCH_DIR=/path                    where generated trees are kept between runs (default /tmp/reconcile-bench)
#   npm run bench -- --scale owner     the owner-scale run (bench/owner.bench.ts: the whole pipeline on
#                                      1-2M files, about an hour); the same as BENCH_ONLY=owner. It runs
#                                      only when asked for.
set -uo pipefail
cd "$(dirname "$0")/.."

while [ $# -gt 0 ]; do
  case "$1" in
    --scale)
      [ "${2:-}" = owner ] || { echo "bench: --scale takes 'owner'" >&2; exit 2; }
      export BENCH_ONLY=owner
      shift 2
      ;;
    *) echo "bench: unknown argument $1 (see bench/run.sh)" >&2; exit 2 ;;
  esac
done

missing=()
for pair in jdupes:jdupes rmlint:rmlint xxhsum:xxhash hyperfine:hyperfine ab:apache2-utils vmtouch:vmtouch; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing reference tools: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "==> bundling the engine"
node scripts/build-engine.mjs >/dev/null

export BENCH_RESULTS="$(mktemp /tmp/reconcile-bench-results.XXXXXX)"
failed=()
for file in bench/*.bench.ts bench/*.bench.sh; do
  [ -e "$file" ] || continue
  name="$(basename "$file")"
  if [ -n "${BENCH_ONLY:-}" ] && [[ "$name" != *"$BENCH_ONLY"* ]]; then continue; fi
  if [ -z "${BENCH_ONLY:-}" ] && [ "$name" = owner.bench.ts ]; then continue; fi
  echo "==> $name"
  case "$file" in
    *.ts) node --import tsx "$file" || failed+=("$name") ;;
    *.sh) bash "$file" || failed+=("$name") ;;
  esac
done

node bench/summary.mjs "$BENCH_RESULTS"
summary_status=$?
if [ ${#failed[@]} -gt 0 ]; then
  echo "benchmarks that crashed: ${failed[*]}"
  exit 1
fi
exit $summary_status
