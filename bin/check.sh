#!/usr/bin/env bash
# Every check of the test command, in order: format, lint, workflow and shell lint, the
# dependency audit, then type checks and tests of every package (one at a time: the suites
# start emulators and function processes, and the machine has two cores). Ends with one
# line of test totals.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

pnpm run --silent format:check || exit 1
pnpm run --silent lint || exit 1
bash bin/lint-ci-files.sh || exit 1
bash bin/audit.sh --allow-unreachable || exit 1

find . -path ./node_modules -prune -o -name vitest-results.json -path '*test-artifacts*' -print0 |
  xargs -0 rm -f
pnpm exec turbo run typecheck test --output-logs=errors-only --concurrency=1
status=$?
# The benchmarks are not a workspace package; they must still compile against the code.
pnpm --filter @orchestrator/shared exec tsc -p ../../bench || status=1
node bin/test_summary.mjs || status=1
exit "$status"
