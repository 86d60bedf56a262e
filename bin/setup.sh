#!/usr/bin/env bash
# Installs what the workspace needs on a machine that has only Node.js and npm:
# pnpm at the pinned version, then the locked dependencies. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION="10.34.9"

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm ${PNPM_VERSION} with npm" >&2
  npm install --global --silent "pnpm@${PNPM_VERSION}" >&2
fi

pnpm install --frozen-lockfile --reporter=silent >&2
