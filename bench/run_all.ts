/**
 * Every benchmark in one go, on one pair of emulators: cold start, throughput (with the
 * rival), contention (with the rival), memory and backfill. Prints each table, writes
 * bench/RESULTS.md and exits non-zero if any correctness check failed.
 * Run: `pnpm exec tsx bench/run_all.ts` (about 6–8 minutes on 2 cores).
 */
import { runBackfill } from "./backfill";
import { runColdStart } from "./cold_start";
import { runContention } from "./contention";
import { type BenchEnv, progress, startBenchEnv } from "./lib/bench_env";
import { buildBundles } from "./lib/bundles";
import {
  type BenchSection,
  markdownTable,
  printSection,
  resetResults,
  writeResults,
} from "./lib/report";
import { runMemory } from "./memory";
import { runThroughput } from "./throughput";

const startedAt = new Date();
resetResults();
const env: BenchEnv = await startBenchEnv();
const sections: BenchSection[] = [];
let crashed = false;
try {
  const steps: [string, () => Promise<BenchSection>][] = [
    ["cold start", () => runColdStart(env)],
    ["throughput", () => runThroughput(env)],
    ["contention", () => runContention(env)],
    ["memory", async () => runMemory(env, await buildBundles())],
    ["backfill", () => runBackfill(env)],
  ];
  for (const [name, step] of steps) {
    progress(`=== ${name}`);
    const t0 = Date.now();
    const section = await step();
    progress(`=== ${name} took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    printSection(section);
    sections.push(section);
    // Written after each step, so an interrupted run keeps what it measured.
    writeResults([section], "pnpm exec tsx bench/run_all.ts", startedAt);
  }
} catch (error) {
  process.stderr.write(`benchmark run failed: ${(error as Error).stack ?? error}\n`);
  crashed = true;
} finally {
  await env.stop();
}
const targets = sections.flatMap((s) => s.targets);
process.stdout.write(
  `\n## Targets\n\n${markdownTable(
    ["target", "result", "figure"],
    targets.map((t) => [t.name, t.met ? "met" : "MISSED", t.detail]),
  )}\n`,
);
const failures = sections.flatMap((s) => s.failures);
for (const f of failures) process.stdout.write(`CORRECTNESS FAILURE: ${f}\n`);
process.stdout.write(
  `\nfinished in ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s; RESULTS.md written\n`,
);
process.exit(crashed || failures.length > 0 ? 1 : 0);
