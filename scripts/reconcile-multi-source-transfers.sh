#!/usr/bin/env bash
# The one re-runnable entry point of the multi-source transfer reconciliation on the file server
# (the owner's migration plan names it): `reconcile run` (scan, plan, apply what is approved,
# verify, report), then `reconcile recover` (per source, the list and the command of what the space
# still lacks; with --fetch, the transfers this server can run itself), then `reconcile verify` of
# the whole space, then the run's dated entry in the communication log. Everything it prints also
# goes to its own log. Its exit status is the verification outcome: 0 complete, 3 outstanding (an
# origin still holds what the space lacks: fetch it, approve the placements, run again), 1 failed.
#
# Runs as the service user with the service environment (RECONCILE_DATA_DIR, RECONCILE_CONFIG,
# RECONCILE_ENV_FILE), e.g. from deploy/ansible/reconcile-data-transfers.yml.
set -uo pipefail

usage() {
  cat <<'USAGE'
usage: reconcile-multi-source-transfers.sh [--fetch] [--comms-log FILE] [--log-dir DIR]
  --fetch           also run the transfers this server can run (ssh hosts, rclone remotes, mounted folders)
  --comms-log FILE  put the run's entry into this communication log (COMMUNICATION_LOG.md); default $RECONCILE_COMMS_LOG
  --log-dir DIR     where this script's log goes; default $RECONCILE_DATA_DIR/logs
environment: RECONCILE_BIN (default: node /opt/reconcile/bin/reconcile.js), RECONCILE_DATA_DIR, RECONCILE_CONFIG
USAGE
}

fetch=()
comms_log="${RECONCILE_COMMS_LOG:-}"
log_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --fetch) fetch=(--fetch) ;;
    --comms-log) comms_log="${2:?--comms-log needs a file}"; shift ;;
    --log-dir) log_dir="${2:?--log-dir needs a folder}"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

: "${RECONCILE_DATA_DIR:?set RECONCILE_DATA_DIR (the service environment, /flux/apps/reconcile on motoko)}"
read -r -a reconcile <<<"${RECONCILE_BIN:-node /opt/reconcile/bin/reconcile.js}"
log_dir="${log_dir:-$RECONCILE_DATA_DIR/logs}"
mkdir -p "$log_dir" || exit 1
log="$log_dir/multi-source-transfers-$(date -u +%Y%m%dT%H%M%SZ).log"
exec > >(tee -a "$log") 2>&1

step() { echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ) $*"; }

step "reconcile run"
"${reconcile[@]}" run
run_status=$?
# 0 and 3 are outcomes (complete, outstanding); anything else is reported, and the steps go on:
# the lists and the log entry say what is left either way.
[ "$run_status" -eq 0 ] || [ "$run_status" -eq 3 ] || echo "reconcile run exited $run_status"

step "reconcile recover ${fetch[*]}"
"${reconcile[@]}" recover "${fetch[@]}" || echo "reconcile recover exited $?"

step "reconcile verify (the whole space)"
"${reconcile[@]}" verify
outcome=$?

if [ -n "$comms_log" ]; then
  step "the run's entry in $comms_log"
  "${reconcile[@]}" report --format comms-log --append "$comms_log" || echo "reconcile report exited $?"
fi

case "$outcome" in
  0) step "outcome: complete" ;;
  3) step "outcome: outstanding (the lists above say what to fetch, and how)" ;;
  *) step "outcome: failed ($outcome): do not go on; see docs/runbooks/rollback-and-restore.md" ;;
esac
echo "log: $log"
exit "$outcome"
