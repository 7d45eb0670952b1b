#!/usr/bin/env bash
# Starts the demo portal: frontend on http://localhost:3000, backend on http://localhost:7007,
# with SQLite files under data/ (zero setup). Installs Node 22 and dependencies when needed.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ensure_install
mkdir -p "$ROOT/data/sqlite"
cd "$ROOT"
exec yarn start "$@"
