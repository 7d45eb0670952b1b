#!/usr/bin/env bash
# Runs the fault suite and prints its figures: `./scripts/faults.sh [pg|gates|job]`.
# Long runs with real processes and servers going away (a private PostgreSQL cluster that is
# crashed and restarted, local OPA and feed servers that stop, a job killed with SIGKILL);
# not part of `yarn test`. Exits non-zero when a check failed.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ensure_install
cd "$ROOT"

# The private clusters live here; whatever happens to a run, they are stopped and removed.
export FAULTS_TMPDIR="$(mktemp -d "${TMPDIR:-/tmp}/mp-faults-XXXXXX")"
chmod 755 "$FAULTS_TMPDIR"
cleanup() {
  for data in "$FAULTS_TMPDIR"/mp-faults-pg-*/data; do
    [ -f "$data/postmaster.pid" ] || continue
    if [ "$(id -u)" = 0 ]; then
      runuser -u postgres -- "${FAULTS_PG_BIN:-/usr/lib/postgresql/15/bin}/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
    else
      "${FAULTS_PG_BIN:-/usr/lib/postgresql/15/bin}/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$FAULTS_TMPDIR"
}
trap cleanup EXIT

failed=0
run() {
  echo "==> $1"
  node --require @backstage/cli/config/nodeTransform.cjs "$1" || failed=1
  echo
}
began=$(date +%s)
what="${1:-all}"
dir=plugins/marketplace-backend/faults
if [ "$what" = all ] || [ "$what" = pg ]; then
  run "$dir/pgRestart.faults.ts"
fi
if [ "$what" = all ] || [ "$what" = gates ]; then
  run "$dir/gatesOutage.faults.ts"
fi
if [ "$what" = all ] || [ "$what" = job ]; then
  run "$dir/jobKill.faults.ts"
fi
echo "==> faults ($what): $([ $failed = 0 ] && echo 'all checks held' || echo 'FAILED') in $(($(date +%s) - began)) s"
exit $failed
