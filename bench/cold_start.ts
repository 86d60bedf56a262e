/**
 * Cold start: process start → first 200 from /health, and → first completion processed,
 * for each deployable bundle against a bare hello-world function started the same way.
 * Run alone: `pnpm exec tsx bench/cold_start.ts`.
 */
import { performance } from "node:perf_hooks";
import {
  TRANSITIONS,
  type TransitionName,
} from "../packages/shared/src/config/transition_defaults";
import { type BenchEnv, benchProjectId, progress } from "./lib/bench_env";
import {
  bareFunction,
  buildBundles,
  frameworkVersionOf,
  type StartableFunction,
} from "./lib/bundles";
import { runImportAblation } from "./cold_start_imports";
import { firstOk, postJson, startFunction } from "./lib/function_process";
import { loadNote } from "./lib/machine";
import { mainOf } from "./lib/main";
import { pushBody } from "./lib/push";
import { type BenchSection, markdownTable, type TargetCheck } from "./lib/report";
import { fixed, median, ratio } from "./lib/stats";

const RUNS = 7;
const TARGET_HEALTH = 1.3;
const TARGET_COMPLETION = 3;

interface Timings {
  healthMs: number[];
  completionMs: number[];
}

/** Environment of a function process: the emulators, a fresh project, no backup. */
export function functionEnv(env: BenchEnv, prefix: string): Record<string, string> {
  return {
    GOOGLE_CLOUD_PROJECT: benchProjectId(prefix),
    FIRESTORE_EMULATOR_HOST: env.firestoreHost,
    PUBSUB_EMULATOR_HOST: env.pubsubHost,
    BACKUP_KIND: "none",
  };
}

/** One cold start: spawn, poll /health, then deliver one completion. */
async function coldStart(fn: StartableFunction, env: BenchEnv, run: number, into: Timings) {
  const transition = TRANSITIONS[fn.name as TransitionName];
  const processor = transition?.expectedProcessors[0] ?? "bare";
  const proc = await startFunction(fn, functionEnv(env, `cold${run}`));
  try {
    into.healthMs.push(await firstOk(proc, "/health"));
    const body = pushBody({ processor_name: processor, game_date: "2023-03-01" }, `cold-${run}`);
    const status = await postJson(proc, body);
    if (status !== 200) throw new Error(`${fn.name}: first completion answered ${status}`);
    into.completionMs.push(performance.now() - proc.spawnedAt);
  } finally {
    await proc.stop();
  }
}

/** Runs the cold-start comparison; the functions are started in rotating order. */
export async function runColdStart(env: BenchEnv): Promise<BenchSection> {
  const loadBefore = loadNote();
  progress("cold start: building bundles");
  const bundles = await buildBundles();
  const bare = bareFunction(frameworkVersionOf(bundles[0] as StartableFunction));
  const all = [bare, ...bundles];
  const timings = new Map(all.map((f) => [f.name, { healthMs: [], completionMs: [] } as Timings]));
  const failures: string[] = [];
  // One unmeasured start of each warms the disk cache, as a deployed instance's image is.
  for (const fn of all) await coldStart(fn, env, -1, { healthMs: [], completionMs: [] });
  for (let run = 0; run < RUNS; run++) {
    progress(`cold start: run ${run + 1}/${RUNS}`);
    for (let k = 0; k < all.length; k++) {
      const fn = all[(run + k) % all.length] as StartableFunction;
      try {
        await coldStart(fn, env, run, timings.get(fn.name) as Timings);
      } catch (error) {
        failures.push((error as Error).message.slice(0, 500));
      }
    }
  }
  progress("cold start: import costs");
  const imports = await runImportAblation(bundles[0] as StartableFunction);
  const bareT = timings.get(bare.name) as Timings;
  const bareHealth = median(bareT.healthMs);
  const bareCompletion = median(bareT.completionMs);
  const targets: TargetCheck[] = [];
  const rows = all.map((fn) => {
    const t = timings.get(fn.name) as Timings;
    const h = median(t.healthMs);
    const c = median(t.completionMs);
    if (fn !== bare) {
      targets.push({
        name: `${fn.name}: to /health ≤ ${TARGET_HEALTH} × bare`,
        met: h / bareHealth <= TARGET_HEALTH,
        detail: ratio(h / bareHealth),
      });
      targets.push({
        name: `${fn.name}: to first completion ≤ ${TARGET_COMPLETION} × bare`,
        met: c / bareCompletion <= TARGET_COMPLETION,
        detail: ratio(c / bareCompletion),
      });
    }
    return [
      fn.name,
      fixed(h),
      ratio(h / bareHealth),
      fixed(c),
      ratio(c / bareCompletion),
      `${fixed(Math.min(...t.healthMs))}–${fixed(Math.max(...t.healthMs))}`,
    ];
  });
  const table = markdownTable(
    [
      "function",
      "to /health ms (median)",
      "÷ bare",
      "to first completion ms",
      "÷ bare",
      "/health range ms",
    ],
    rows,
  );
  const notes = [
    `Median of ${RUNS} starts each (after one unmeasured start), order rotated every run. Each bundle is built by the product's bundler into a temporary folder, its pinned dependencies installed with npm, and started with \`node node_modules/@google-cloud/functions-framework/build/src/main.js --target=<entry point>\` (Node ${process.version}; the deployed runtime is Node 22).`,
    "First completion: one Pub/Sub push body POSTed right after the first /health 200 (a fresh project on the emulators, backup none), timed to its 200; for the bare function, any POST.",
    `Load average before: ${loadBefore}; after: ${loadNote()}.`,
  ].join("\n");
  const importNote = `Where the start-up time goes: a bare function with some of ${bundles[0]?.name}'s npm imports added at top level, ${RUNS} starts each (bench/cold_start_imports.ts).`;
  return {
    key: "cold_start",
    title: "Cold start",
    markdown: `${table}\n\n${notes}\n\n${importNote}\n\n${imports}`,
    targets,
    failures,
  };
}

await mainOf(import.meta.url, "cold_start", runColdStart);
