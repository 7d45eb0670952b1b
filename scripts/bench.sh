#!/usr/bin/env bash
# Runs the benchmarks and prints their figures: `./scripts/bench.sh [gates|processing|sbom|workflow|focus|load]`.
# Benchmarks measure; they never fail on a figure (targets are printed beside them).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ensure_install
cd "$ROOT"
run() {
  echo "==> $1"
  LOG_LEVEL="${LOG_LEVEL:-warn}" node --require @backstage/cli/config/nodeTransform.cjs "$1"
  echo
}
what="${1:-all}"
if [ "$what" = all ] || [ "$what" = gates ]; then
  run plugins/catalog-backend-module-marketplace/bench/gates.bench.ts
fi
if [ "$what" = all ] || [ "$what" = processing ]; then
  run plugins/catalog-backend-module-marketplace/bench/processing.bench.ts
fi
if [ "$what" = all ] || [ "$what" = sbom ]; then
  run plugins/scaffolder-backend-module-marketplace/bench/sbom.bench.ts
fi
if [ "$what" = all ] || [ "$what" = workflow ]; then
  run plugins/marketplace-backend/bench/workflow.bench.ts
fi
if [ "$what" = all ] || [ "$what" = focus ]; then
  run plugins/marketplace-backend/bench/focus.bench.ts
fi
if [ "$what" = load ]; then
  # not part of `all`: it seeds 100,000 apps and loads a backend for minutes (see its header)
  run plugins/marketplace-backend/bench/load/loadBench.ts
fi
