#!/usr/bin/env bash
# Compares each Cloud Run service listed in deploy/cloud-run-services.json with the newest
# commit that touched its inputs in the processors' repository (pass it with --repo).
# Usage: bin/check-deployment-drift.sh --repo PROCESSORS_CHECKOUT [--json] [--verbose]
#        [--project ID] [--stale-hours N] [--list FILE]
# Exit: 0 up to date, 1 drift, 2 could not check. See the README, section Deploying.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$root/node_modules/.bin/tsx" "$root/packages/shared/src/deploy/cli/check_drift.ts" \
  --kind cloud-run-services --list "${DRIFT_SERVICE_LIST:-$root/deploy/cloud-run-services.json}" "$@"
