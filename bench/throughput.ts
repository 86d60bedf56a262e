/**
 * Throughput: completions per second through `route()` of a real phase 2→3 orchestrator
 * at concurrency 1, 8 and 32, against the emulator's minimum (one transaction per
 * completion) and against the rival per-date-document design, all in the same run. Also
 * the CPU each system costs the emulator and this process per completion, which is what
 * limits the rate. Run alone: `pnpm exec tsx bench/throughput.ts`.
 */
import type { BenchEnv } from "./lib/bench_env";
import { progress } from "./lib/bench_env";
import { loadNote } from "./lib/machine";
import { mainOf } from "./lib/main";
import { MinimumReference } from "./lib/minimum";
import { benchOrchestrator } from "./lib/orchestrator_harness";
import { runPool } from "./lib/pool";
import { groupCpuMs, ownCpuMs } from "./lib/process_cpu";
import { type BenchSection, markdownTable, type TargetCheck } from "./lib/report";
import { fixed, median, percentile, ratio } from "./lib/stats";
import { type Delivery, dateByDateWorkload } from "./lib/workload";
import { rivalHarness } from "./rival/rival_harness";

const TRANSITION = "phase2-to-phase3";
/** Dates per concurrency level and round: enough for a steady rate, and bounded. */
const DATES_AT: Record<number, number> = { 1: 15, 8: 40, 32: 60 };
const ROUNDS = 2;
const WARMUP_DATES = 2;
/** Throughput at concurrency 8 must reach this share of the emulator's minimum. */
const TARGET_SHARE_AT_8 = 0.7;
const SYSTEMS = ["minimum", "ours", "rival"] as const;
type SystemName = (typeof SYSTEMS)[number];

/** One system at one concurrency, over all rounds. */
interface Measured {
  perSecond: number[];
  latenciesMs: number[];
  emulatorCpuMs: number;
  ownCpuMs: number;
  completions: number;
  failures: number;
}

type Handler = { handle: (d: Delivery) => Promise<boolean>; close: () => Promise<void> };

async function systemFor(name: SystemName, env: BenchEnv): Promise<Handler> {
  if (name === "minimum") {
    const m = new MinimumReference();
    return { handle: (d) => m.handle(d), close: () => m.close() };
  }
  const h =
    name === "ours"
      ? await benchOrchestrator(TRANSITION, env.pubsubHost)
      : await rivalHarness(TRANSITION, env.pubsubHost);
  return { handle: (d) => h.send(d.message, d.messageId), close: () => h.close() };
}

/** Emulator-minimum rate per concurrency, shared with other benchmarks. */
export type MinimumRates = Map<number, number>;

/** Runs the throughput comparison. */
export async function runThroughput(env: BenchEnv): Promise<BenchSection> {
  const failures: string[] = [];
  const rows: string[][] = [];
  const targets: TargetCheck[] = [];
  const loadBefore = loadNote();
  for (const concurrency of [1, 8, 32]) {
    const dates = DATES_AT[concurrency] ?? 10;
    const results = new Map<SystemName, Measured>();
    for (let round = 0; round < ROUNDS; round++) {
      progress(`throughput: concurrency ${concurrency}, round ${round + 1}/${ROUNDS}`);
      for (const name of SYSTEMS) {
        const tag = `${name}-c${concurrency}-r${round}`;
        const work = dateByDateWorkload(TRANSITION, dates, tag);
        const warm = dateByDateWorkload(TRANSITION, WARMUP_DATES, `${tag}w`, "2022-01-01");
        const system = await systemFor(name, env);
        await runPool(warm.length, concurrency, (i) => system.handle(warm[i] as Delivery));
        const emulator0 = groupCpuMs(env.firestorePgid);
        const own0 = ownCpuMs();
        const run = await runPool(work.length, concurrency, (i) =>
          system.handle(work[i] as Delivery),
        );
        const m = results.get(name) ?? {
          perSecond: [],
          latenciesMs: [],
          emulatorCpuMs: 0,
          ownCpuMs: 0,
          completions: 0,
          failures: 0,
        };
        m.perSecond.push(work.length / (run.wallMs / 1000));
        m.latenciesMs.push(...run.latenciesMs);
        m.emulatorCpuMs += groupCpuMs(env.firestorePgid) - emulator0;
        m.ownCpuMs += ownCpuMs() - own0;
        m.completions += work.length;
        m.failures += run.failures;
        results.set(name, m);
        await system.close();
      }
    }
    const min = results.get("minimum") as Measured;
    const minRate = median(min.perSecond);
    for (const name of SYSTEMS) {
      const m = results.get(name) as Measured;
      if (name === "ours" && m.failures > 0) {
        failures.push(`ours at c=${concurrency}: ${m.failures} deliveries not answered 2xx`);
      }
      rows.push([
        String(concurrency),
        name,
        String(m.completions),
        fixed(median(m.perSecond)),
        ratio(median(m.perSecond) / minRate),
        `${fixed(percentile(m.latenciesMs, 50))} / ${fixed(percentile(m.latenciesMs, 99))}`,
        fixed(m.emulatorCpuMs / m.completions, 2),
        fixed(m.ownCpuMs / m.completions, 2),
        String(m.failures),
      ]);
    }
    if (concurrency === 8) {
      const share = median((results.get("ours") as Measured).perSecond) / minRate;
      targets.push({
        name: `throughput at concurrency 8 ≥ ${TARGET_SHARE_AT_8} × emulator minimum`,
        met: share >= TARGET_SHARE_AT_8,
        detail: ratio(share),
      });
    }
  }
  const table = markdownTable(
    [
      "concurrency",
      "system",
      "completions",
      "per s (median of rounds)",
      "÷ minimum",
      "p50 / p99 ms",
      "emulator CPU ms per completion",
      "bench process CPU ms per completion",
      "errors",
    ],
    rows,
  );
  const notes = [
    `Orchestrator ${TRANSITION} (6 processors; the 6th completion of each date triggers and publishes to the Pub/Sub emulator), backup: none (BACKUP_KIND=none), built by createOrchestrator and driven through route() in this process. ${ROUNDS} rounds per concurrency, systems alternated, each on a fresh project after ${WARMUP_DATES} warm-up dates.`,
    "Minimum: one read+write transaction per completion on its own document. Rival: one transaction per message on a per-date document holding a field per processor (bench/rival).",
    "Emulator CPU is the Firestore emulator's process group (/proc), bench process CPU is this Node process (client libraries and the product's code).",
    `Load average before: ${loadBefore}; after: ${loadNote()}.`,
  ].join("\n");
  return {
    key: "throughput",
    title: "Throughput",
    markdown: `${table}\n\n${notes}`,
    targets,
    failures,
  };
}

await mainOf(import.meta.url, "throughput", (env) => runThroughput(env));
