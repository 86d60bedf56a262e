#!/usr/bin/env bash
# Installs what the workspace needs on a machine that has only Node.js and npm:
# pnpm at the pinned version, the locked dependencies, and shellcheck for the lint step.
# Safe to run again; prints to stderr only.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION="10.34.9"

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm ${PNPM_VERSION} with npm" >&2
  npm install --global --silent "pnpm@${PNPM_VERSION}" >&2
fi

pnpm install --frozen-lockfile --reporter=silent >&2

# The shellcheck linter is a Haskell binary that npm does not ship; Debian's package has it.
if ! command -v shellcheck >/dev/null 2>&1; then
  echo "setup: installing shellcheck with apt-get" >&2
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -q >&2 && $sudo apt-get install -y -q shellcheck >&2 ||
    echo "setup: could not install shellcheck; the lint step will say so" >&2
fi
