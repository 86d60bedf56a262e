/**
 * `build` script of each function package: bundles the function whose folder is the
 * current directory (or the one named as the first argument) into `bundle/`.
 */
import { basename, resolve } from "node:path";
import { buildBundle } from "../bundle";
import { findFunction, loadManifest } from "../manifest";

const repoRoot = resolve(import.meta.dirname, "..", "..", "..", "..", "..");
const name = process.argv[2] ?? basename(process.cwd());

try {
  const spec = findFunction(loadManifest(repoRoot), name);
  const result = await buildBundle(spec, repoRoot);
  const deps = Object.entries(result.packageJson.dependencies)
    .map(([n, v]) => `${n}@${v}`)
    .join(", ");
  process.stderr.write(
    `bundled ${name}: ${result.outDir}/index.js (${(result.bytes / 1024).toFixed(0)} KiB); external: ${deps}\n`,
  );
} catch (error) {
  process.stderr.write(`bundle of ${name} failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
