#!/usr/bin/env bash
# Runs every check: installed Backstage versions, type-check, lint, prettier, all unit,
# store and integration tests, and the end-to-end tests in Chromium.
# Store and integration tests run on SQLite and, when reachable, on PostgreSQL.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ensure_install
cd "$ROOT"

# TestDatabases must never try Docker (it does when CI is set); it uses the server below.
export BACKSTAGE_TEST_DISABLE_DOCKER=1
PG_VAR=BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
export "$PG_VAR=${!PG_VAR:-postgresql://postgres@127.0.0.1:5432}"
if node scripts/check-postgres.js "${!PG_VAR}" 2>/tmp/microapps-pg-check.log; then
  echo "==> PostgreSQL reachable: store and integration tests run on SQLITE_3 and POSTGRES_15"
else
  echo "################################################################################"
  echo "NOTICE: PostgreSQL is not reachable ($(cat /tmp/microapps-pg-check.log))."
  echo "NOTICE: store and integration tests run on SQLITE_3 only. Set $PG_VAR"
  echo "NOTICE: to a server whose role may CREATE DATABASE to run them on PostgreSQL too."
  echo "################################################################################"
  unset "$PG_VAR"
fi

step() { echo; echo "==> $*"; }
step "One version of each @backstage package; published ranges accept that release"
node scripts/check-backstage-versions.js
step "Type-check (yarn tsc)"
yarn tsc
step "API reports are up to date (yarn build:api-reports --ci)"
# Every published package has a committed report.api.md; after an API change, run
# `yarn tsc && yarn build:api-reports` (it reads the dist-types tsc writes) and commit them.
# -o ae-wrong-input-file-type, as Backstage's own repo does: workspace packages declare
# "types": "src/index.ts", so a report's dist-types import the other packages' .ts sources,
# which API Extractor flags (with an absolute path) although the reports come out right.
yarn build:api-reports --ci
step "Lint"
yarn backstage-cli repo lint
step "Prettier"
yarn prettier --check .
step "docs/install.md shows the steps the adoption test applies"
node scripts/adoption/check-doc.mjs
step "Tests"
rc=0
rm -f "$ROOT/.cache/jest-results.json"
CI=true yarn backstage-cli repo test --verbose --json --outputFile="$ROOT/.cache/jest-results.json" || rc=$?
node -e '
  const r = require(process.argv[1]);
  console.log(`\njest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' "$ROOT/.cache/jest-results.json" || true

step "End-to-end tests (Playwright, Chromium, the portal of ./scripts/start.sh on ports 3100/7107)"
e2e_rc=0
ensure_chromium && CI=true yarn playwright test || e2e_rc=$?
[ "$e2e_rc" = 0 ] || echo "e2e: FAILED (exit $e2e_rc)"

step "Adoption test (docs/install.md on fresh create-app 0.9.2 apps, new and legacy frontend)"
adoption_rc=0
bash scripts/adoption/run.sh || adoption_rc=$?
[ "$adoption_rc" = 0 ] || echo "adoption: FAILED (exit $adoption_rc)"
[ "$rc" = 0 ] || exit "$rc"
[ "$e2e_rc" = 0 ] || exit "$e2e_rc"
exit "$adoption_rc"
