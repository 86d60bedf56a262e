#!/usr/bin/env bash
# Fails when a production dependency has a known high or critical vulnerability
# (`pnpm audit --prod --audit-level high`). It needs the npm registry's advisory service:
# when that cannot be reached or refuses the request, it fails loudly rather than pass
# without having checked anything.
set -uo pipefail
cd "$(dirname "$0")/.."
output="$(pnpm audit --prod --audit-level high 2>&1)"
status=$?
printf '%s\n' "$output"
if [ "$status" -eq 0 ]; then
  echo "audit: no high or critical advisory in production dependencies"
  exit 0
fi
if grep -qE 'ERR_PNPM_AUDIT_BAD_RESPONSE|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|fetch failed' <<<"$output"; then
  echo "audit: FAILED - the advisory service could not be used; dependencies were NOT checked" >&2
else
  echo "audit: FAILED - high or critical advisories in production dependencies" >&2
fi
exit "$status"
