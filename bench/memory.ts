/**
 * Memory: peak resident set (VmHWM) of one function process under the throughput load,
 * delivered over HTTP, against the bare hello-world function under the same requests.
 * Run alone: `pnpm exec tsx bench/memory.ts`.
 */
import { TRANSITIONS } from "../packages/shared/src/config/transition_defaults";
import { BigQueryStandIn } from "../packages/shared/src/testing/bigquery_stand_in";
import { functionEnv } from "./cold_start";
import { type BenchEnv, progress } from "./lib/bench_env";
import {
  bareFunction,
  buildBundles,
  frameworkVersionOf,
  type StartableFunction,
} from "./lib/bundles";
import { firstOk, postJson, startFunction } from "./lib/function_process";
import { PubSub } from "./lib/gcp";
import { loadNote } from "./lib/machine";
import { mainOf } from "./lib/main";
import { runPool } from "./lib/pool";
import { pushBody } from "./lib/push";
import { type BenchSection, markdownTable, type TargetCheck } from "./lib/report";
import { fixed, ratio } from "./lib/stats";
import { dateByDateWorkload } from "./lib/workload";

const TRANSITION = "phase2-to-phase3";
const DATES = 100;
const CONCURRENCY = 32;
const SAMPLE_INTERVAL_MS = 50;
const TARGET_PEAK_MIB = 256;
/**
 * V8 sizes its heap from the machine's memory, not the function's limit, and collects
 * lazily; this cap (what NODE_OPTIONS would set on a 256 MB function) shows how much of the
 * peak is garbage not yet collected.
 */
const HEAP_CAP = "--max-old-space-size=128";

interface MemoryRun {
  label: string;
  peakMiB: number;
  idleMiB: number;
  perSecond: number;
  failures: number;
}

/** Starts `fn`, records its idle RSS, drives the load, and returns the peak. */
async function underLoad(
  label: string,
  fn: StartableFunction,
  env: Record<string, string>,
  tag: string,
  nodeArgs: string[],
): Promise<MemoryRun> {
  const proc = await startFunction(fn, env, nodeArgs);
  try {
    await firstOk(proc, "/health");
    const idleMiB = proc.memoryMiB().current;
    let peakMiB = proc.memoryMiB().peak;
    const sampler = setInterval(() => {
      peakMiB = Math.max(peakMiB, proc.memoryMiB().peak);
    }, SAMPLE_INTERVAL_MS);
    const work = dateByDateWorkload(TRANSITION, DATES, tag);
    const run = await runPool(work.length, CONCURRENCY, async (i) => {
      const d = work[i] as (typeof work)[number];
      return (await postJson(proc, pushBody(d.message, d.messageId))) === 200;
    });
    clearInterval(sampler);
    peakMiB = Math.max(peakMiB, proc.memoryMiB().peak);
    return {
      label,
      peakMiB,
      idleMiB,
      perSecond: work.length / (run.wallMs / 1000),
      failures: run.failures,
    };
  } finally {
    await proc.stop();
  }
}

/** Runs the memory comparison, building the bundles unless they are given. */
export async function runMemory(env: BenchEnv, built?: StartableFunction[]): Promise<BenchSection> {
  const loadBefore = loadNote();
  const bundles = built ?? (await buildBundles());
  const fn = bundles.find((b) => b.name === TRANSITION) as StartableFunction;
  const bare = bareFunction(frameworkVersionOf(fn));
  const failures: string[] = [];
  const runs: MemoryRun[] = [];
  const duckdb = { BACKUP_KIND: "duckdb", DUCKDB_PATH: ":memory:" };
  // The deployed backup is BigQuery; here its loopback stand-in answers in this process.
  const standIn = await BigQueryStandIn.start();
  const bigquery = { BACKUP_KIND: "bigquery", BIGQUERY_API_ENDPOINT: standIn.url };
  const cases: [string, StartableFunction, Record<string, string>, string[]][] = [
    ["bare hello world", bare, {}, []],
    [`${TRANSITION}, backup none`, fn, {}, []],
    [`${TRANSITION}, backup none, ${HEAP_CAP}`, fn, {}, [HEAP_CAP]],
    [`${TRANSITION}, backup BigQuery (loopback stand-in)`, fn, bigquery, []],
    [`${TRANSITION}, backup BigQuery (loopback stand-in), ${HEAP_CAP}`, fn, bigquery, [HEAP_CAP]],
    [`${TRANSITION}, backup DuckDB :memory: (demo only, no target)`, fn, duckdb, []],
  ];
  for (const [label, f, extra, nodeArgs] of cases) {
    progress(`memory: ${label}`);
    const fEnv = { ...functionEnv(env, "mem"), ...extra };
    // Publishing needs the trigger topic in the function's project.
    const pubsub = new PubSub({ projectId: fEnv.GOOGLE_CLOUD_PROJECT as string });
    await pubsub.createTopic(TRANSITIONS[TRANSITION].triggerTopic);
    await pubsub.close();
    const run = await underLoad(label, f, fEnv, `mem${runs.length}`, nodeArgs);
    if (run.failures > 0) failures.push(`${label}: ${run.failures} requests did not answer 200`);
    runs.push(run);
  }
  const standInRequests = standIn.requests.length;
  await standIn.close();
  const bareRun = runs[0] as MemoryRun;
  const rows = runs.map((r) => [
    r.label,
    fixed(r.idleMiB),
    fixed(r.peakMiB),
    ratio(r.peakMiB / bareRun.peakMiB),
    fixed(r.perSecond),
  ]);
  const targets: TargetCheck[] = runs.slice(1, -1).map((r) => ({
    name: `${r.label}: peak RSS ≤ ${TARGET_PEAK_MIB} MiB`,
    met: r.peakMiB <= TARGET_PEAK_MIB,
    detail: `${fixed(r.peakMiB)} MiB, ${ratio(r.peakMiB / TARGET_PEAK_MIB)} of the target`,
  }));
  const table = markdownTable(
    ["process", "idle RSS MiB", "peak RSS MiB (VmHWM)", "÷ bare", "completions/s over HTTP"],
    rows,
  );
  const notes = [
    `Load: ${DATES * 6} completions (${DATES} dates × 6 processors, ${DATES} triggers) POSTed over HTTP at concurrency ${CONCURRENCY} to one process started with the functions-framework CLI; /proc/<pid>/status sampled every ${SAMPLE_INTERVAL_MS} ms.`,
    `The BigQuery stand-in (packages/shared/src/testing) answered ${standInRequests} requests of the two BigQuery rows; it runs in the bench process, not in the function's.`,
    `Load average before: ${loadBefore}; after: ${loadNote()}.`,
  ].join("\n");
  return { key: "memory", title: "Memory", markdown: `${table}\n\n${notes}`, targets, failures };
}

await mainOf(import.meta.url, "memory", (env) => runMemory(env));
