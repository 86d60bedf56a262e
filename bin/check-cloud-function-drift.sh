#!/usr/bin/env bash
# Compares each deployed orchestrator function (names from deploy/functions.json and the
# transition defaults) with the newest commit that touched its inputs.
# Usage: bin/check-cloud-function-drift.sh [--json] [--verbose] [--project ID]
#        [--stale-hours N] [--repo DIR]
# Exit: 0 up to date, 1 drift, 2 could not check. See the README, section Deploying.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DRIFT_REPO_DIR="${DRIFT_REPO_DIR:-$root}"
exec "$root/node_modules/.bin/tsx" "$root/packages/shared/src/deploy/cli/check_drift.ts" \
  --kind cloud-functions "$@"
