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

# Debian's packages for what npm does not ship: shellcheck (a Haskell binary) for the lint
# step and Chromium for the status page test. Installed only where apt-get can run.
missing=()
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  echo "setup: installing ${missing[*]} with apt-get" >&2
  { $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"; } >&2 ||
    echo "setup: could not install ${missing[*]}; the tests that need them will say so" >&2
fi
