#!/usr/bin/env bash
# The adoption test: installs the packed packages into fresh apps made by
# @backstage/create-app 0.9.2 (the new frontend system, and --legacy), applying the steps of
# docs/install.md with install.mjs, then builds them, starts the backend and checks it.
# Usage: scripts/adoption/run.sh   (ADOPTION_DIR=<dir> keeps the apps there for a look)
source "$(dirname "${BASH_SOURCE[0]}")/../env.sh"
ensure_install
cd "$ROOT"

HERE="$ROOT/scripts/adoption"
WORK="${ADOPTION_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/microapps-adoption.XXXXXX")}"
PORT="${ADOPTION_BACKEND_PORT:-7207}"
PACKAGES=(
  marketplace-common marketplace-node marketplace-backend marketplace
  catalog-backend-module-marketplace permission-backend-module-marketplace
  scaffolder-backend-module-marketplace
)
# CI=true makes yarn refuse to change a lockfile; the generated apps have to write theirs
export YARN_ENABLE_IMMUTABLE_INSTALLS=false
export BACKSTAGE_APP_NAME=adopter

started=$SECONDS
log() { echo "[adoption $((SECONDS - started))s] $*"; }
fail() {
  echo "[adoption] FAIL $*" >&2
  exit 1
}
log "working in $WORK"
mkdir -p "$WORK/tarballs"

# 1. Build and pack each package as it would be published, and look inside each tarball
[ -d dist-types/plugins ] || yarn tsc
for p in "${PACKAGES[@]}"; do
  (cd "plugins/$p" && yarn backstage-cli package build >/dev/null &&
    yarn pack --out "$WORK/tarballs/$p.tgz" >/dev/null) ||
    fail "build or pack of plugins/$p"
done
# the built dist/ folders are only for the tarballs; the workspace runs from src/
for p in "${PACKAGES[@]}"; do rm -rf "plugins/$p/dist"; done
node "$HERE/check-tarballs.mjs" "$WORK/tarballs" || fail "tarball contents"
log "PASS packed ${#PACKAGES[@]} packages"

# 2. Generate the apps. create-app cannot fetch its yarn.lock seed here, so the apps get this
# repository's lockfile as the seed (the same 1.55.0 release) and its resolutions, which pin
# every @backstage package to 1.55.0 (see ENVIRONMENT.md); our packages resolve to the tarballs.
generate() { # <folder> [--legacy]
  local dir="$WORK/$1"
  shift
  rm -rf "$dir"
  (cd "$WORK" && node "$ROOT/node_modules/@backstage/create-app/bin/backstage-create-app" \
    --path "$(basename "$dir")" --skip-install "$@" >"$dir.create.log" 2>&1) ||
    fail "create-app $*: $(tail -5 "$dir.create.log")"
  cp "$ROOT/yarn.lock" "$dir/yarn.lock"
  node -e '
    const fs = require("fs");
    const [file, rootPkg, tarballs, ...names] = process.argv.slice(1);
    const app = JSON.parse(fs.readFileSync(file, "utf8"));
    app.resolutions = { ...app.resolutions, ...require(rootPkg).resolutions };
    for (const n of names) app.resolutions[`@microapps/plugin-${n}`] = `file:${tarballs}/${n}.tgz`;
    fs.writeFileSync(file, JSON.stringify(app, null, 2) + "\n");
  ' "$dir/package.json" "$ROOT/package.json" "$WORK/tarballs" "${PACKAGES[@]}"
}
generate nfs
generate legacy --legacy
# the legacy template's backend is the same as the other's (tested there): only its frontend here
rm -rf "$WORK/legacy/packages/backend"
log "PASS generated $WORK/nfs and $WORK/legacy (--legacy) with create-app 0.9.2"

# 3. Install them as they come (an adopter's existing portal), then apply docs/install.md
for app in nfs legacy; do
  (cd "$WORK/$app" && yarn install >"$WORK/$app.install.log" 2>&1) ||
    fail "yarn install in $app: $(grep -E 'YN0001|YN0009|YN0028' "$WORK/$app.install.log" | head -5)"
  log "installed the generated $app app"
done
# (the yarn on PATH defers to the release each app's .yarnrc.yml names, as any yarn 4 does)
steps() { # <app> <install.mjs options...>: yarn's output goes to <app>.steps.log
  local app=$1
  shift
  node "$HERE/install.mjs" --app "$WORK/$app" "$@" >"$WORK/$app.steps.log" 2>&1 ||
    fail "install steps ($app): $(tail -20 "$WORK/$app.steps.log")"
  grep '^==>' "$WORK/$app.steps.log" | sed "s/^/[adoption] $app /"
}
steps nfs --frontend nfs
steps legacy --frontend legacy --no-backend
log "PASS applied the steps of docs/install.md (nfs: backend and frontend; legacy: frontend)"

# 4. Type-check and build both frontends; the marketplace must be in each bundle
for app in nfs legacy; do
  (cd "$WORK/$app" && yarn tsc >"$WORK/$app.tsc.log" 2>&1) ||
    fail "tsc in $app: $(head -20 "$WORK/$app.tsc.log")"
  (cd "$WORK/$app" && yarn workspace app build >"$WORK/$app.build.log" 2>&1) ||
    fail "frontend build in $app: $(tail -20 "$WORK/$app.build.log")"
  grep -lq 'Create a micro app' "$WORK/$app"/packages/app/dist/static/*.js ||
    fail "$app: the marketplace page is not in the frontend bundle"
  log "PASS $app: type-checks, builds, and its bundle holds the marketplace page"
done
# the generated App test, and ours: the entity page gives a MicroApp the Governance tab
cp "$HERE/fixtures/legacy/MicroAppEntityPage.test.tsx" "$WORK/legacy/packages/app/src/components/catalog/"
(cd "$WORK/legacy" && CI=true yarn workspace app test >"$WORK/legacy.test.log" 2>&1) ||
  fail "legacy app tests: $(grep -A15 '●' "$WORK/legacy.test.log" | head -40)"
log "PASS legacy: $(grep -E '^Tests:' "$WORK/legacy.test.log" | tr -s ' ') (App renders; a MicroApp's entity page has the Governance tab, a Resource's has not)"

# 5. Start the nfs app's backend and check it. docs/install.md's first micro app (guest-notes,
# the guest's) is there; a second one, of a team the guest is not in, is the test's own.
mkdir -p "$WORK/nfs/examples/microapps/hidden-ledger"
cp "$HERE/fixtures/microapps/hidden-ledger/catalog-info.yaml" \
  "$ROOT/examples/microapps/expense-digest/sbom.spdx.json" "$WORK/nfs/examples/microapps/hidden-ledger/"
cat >"$WORK/nfs/app-config.local.yaml" <<EOF
# the adoption test's own settings: its port, and a static token to look as a service
backend:
  baseUrl: http://localhost:$PORT
  listen:
    port: $PORT
  auth:
    externalAccess:
      - type: static
        options:
          token: adoption-test-static-token-0123456789
          subject: adoption-test
EOF
(cd "$WORK/nfs" && exec setsid yarn workspace backend start \
  >"$WORK/nfs.backend.log" 2>&1) &
backend_pid=$!
stop_backend() { kill -- -"$backend_pid" 2>/dev/null || kill "$backend_pid" 2>/dev/null || true; }
trap stop_backend EXIT
rc=0
TOKEN=adoption-test-static-token-0123456789
node "$HERE/assert-backend.mjs" "http://localhost:$PORT" "$TOKEN" || rc=$?
# the packed backend's CLI checks an evidence package offline, as an auditor would
if [ "$rc" = 0 ]; then
  curl -sf -H "Authorization: Bearer $TOKEN" -o "$WORK/evidence.json" \
    "http://localhost:$PORT/api/marketplace/apps/default/guest-notes/evidence" &&
    (cd "$WORK/nfs" && yarn workspace backend run marketplace-verify-evidence "$WORK/evidence.json") ||
    rc=$?
  [ "$rc" = 0 ] && log "PASS the packed marketplace-verify-evidence CLI verifies guest-notes' evidence package"
fi
# the built frontend, served by the backend, as the guest sees it in Chromium
if [ "$rc" = 0 ]; then
  mkdir -p "$WORK/shots"
  ensure_chromium && node "$HERE/assert-ui.mjs" "http://localhost:$PORT" "$WORK/shots" || rc=$?
fi
stop_backend
if [ "$rc" != 0 ]; then
  echo "---- backend log (last 60 lines) ----"
  tail -60 "$WORK/nfs.backend.log"
  fail "backend checks"
fi
log "PASS the adoption test, in $((SECONDS - started)) s"
[ -n "${ADOPTION_DIR:-}" ] || rm -rf "$WORK"
