/**
 * Deploy workflow helper: prints (and writes to $GITHUB_OUTPUT as `functions`) the JSON
 * list of functions to deploy, either those whose inputs changed between two commits or
 * the one named with `--only`, checked against the manifest.
 */
import { appendFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { changedFunctions } from "../changed_functions";
import { findFunction, loadManifest } from "../manifest";
import { runCommand } from "../run_command";

const repoRoot = resolve(import.meta.dirname, "..", "..", "..", "..", "..");

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      base: { type: "string" },
      head: { type: "string", default: "HEAD" },
      only: { type: "string" },
    },
  });
  const manifest = loadManifest(repoRoot);
  const names = values.only
    ? [findFunction(manifest, values.only).name]
    : await changedFunctions(manifest, values.base, values.head, repoRoot, runCommand);
  const json = JSON.stringify(names);
  process.stdout.write(`${json}\n`);
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `functions=${json}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`changed-functions failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
