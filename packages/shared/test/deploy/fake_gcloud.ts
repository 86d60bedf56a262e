import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A stand-in `gcloud` for tests, put first on PATH so the real one is never reached.
 * For `... describe NAME ...` it prints `answers/NAME.json`, or prints `answers/NAME.err`
 * to stderr and exits 1; every call is appended to `calls.log`.
 */
export interface FakeGcloud {
  /** Folder to prepend to PATH. */
  binDir: string;
  answer(name: string, describeJson: unknown): void;
  fail(name: string, stderr: string): void;
  /** argv of every call so far, one array per call. */
  calls(): string[][];
}

const SCRIPT = `#!/usr/bin/env bash
set -euo pipefail
here="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
printf '%s\\n' "$*" >> "$here/../calls.log"
name=""
prev=""
for arg in "$@"; do
  if [ "$prev" = "describe" ]; then name="$arg"; fi
  prev="$arg"
done
if [ -f "$here/../answers/$name.err" ]; then
  cat "$here/../answers/$name.err" >&2
  exit 1
fi
if [ -f "$here/../answers/$name.json" ]; then
  cat "$here/../answers/$name.json"
  exit 0
fi
echo "ERROR: (gcloud) fake has no answer for: $*" >&2
exit 1
`;

/** Creates a fresh fake in its own temporary folder. */
export function createFakeGcloud(): FakeGcloud {
  const root = mkdtempSync(join(tmpdir(), "fake-gcloud-"));
  const binDir = join(root, "bin");
  mkdirSync(binDir);
  mkdirSync(join(root, "answers"));
  writeFileSync(join(binDir, "gcloud"), SCRIPT);
  chmodSync(join(binDir, "gcloud"), 0o755);
  writeFileSync(join(root, "calls.log"), "");
  return {
    binDir,
    answer: (name, json) =>
      writeFileSync(join(root, "answers", `${name}.json`), JSON.stringify(json)),
    fail: (name, stderr) => writeFileSync(join(root, "answers", `${name}.err`), stderr),
    calls: () =>
      readFileSync(join(root, "calls.log"), "utf8")
        .split("\n")
        .filter((l) => l.length > 0)
        .map((l) => l.split(" ")),
  };
}
