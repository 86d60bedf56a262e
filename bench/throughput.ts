/**
 * Throughput: completions per second through `route()` of a real phase 2→3 orchestrator
 * at concurrency 1, 8 and 32, against the emulator's minimum (one transaction per
 * completion) and against the rival per-date-document design, all in the same run.
 * Run alone: `pnpm exec tsx bench/throughput.ts`.
 */
import type { BenchEnv } from "./lib/bench_env";
import { loadNote } from "./lib/machine";
import { MinimumReference } from "./lib/minimum";
import { benchOrchestrator } from "./lib/orchestrator_harness";
import { type PoolRun, runPool } from "./lib/pool";
import { type BenchSection, markdownTable, type TargetCheck } from "./lib/report";
import { fixed, percentile, ratio } from "./lib/stats";
import { dateByDateWorkload } from "./lib/workload";
import { rivalHarness } from "./rival/rival_harness";
import { mainOf } from "./lib/main";

const TRANSITION = "phase2-to-phase3";
/** Dates per concurrency level: enough for a steady rate, few enough to stay bounded. */
const DATES_AT: Record<number, number> = { 1: 15, 8: 50, 32: 80 };
const WARMUP_DATES = 2;
/** Throughput at concurrency 8 must reach this share of the emulator's minimum. */
const TARGET_SHARE_AT_8 = 0.7;

/** One measured system at one concurrency. */
interface Measured {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
}

const measured = (count: number, run: PoolRun): Measured => ({
  perSecond: count / (run.wallMs / 1000),
  p50Ms: percentile(run.latenciesMs, 50),
  p99Ms: percentile(run.latenciesMs, 99),
  failures: run.failures,
});

/** Emulator-minimum rate per concurrency, shared with the backfill's reference. */
export type MinimumRates = Map<number, number>;

/** Runs the throughput comparison; `minimumRates` receives the reference figures. */
export async function runThroughput(
  env: BenchEnv,
  minimumRates: MinimumRates = new Map(),
): Promise<BenchSection> {
  const failures: string[] = [];
  const rows: string[][] = [];
  const targets: TargetCheck[] = [];
  const loadBefore = loadNote();
  for (const concurrency of [1, 8, 32]) {
    const dates = DATES_AT[concurrency] ?? 10;
    const tag = `c${concurrency}`;
    const work = dateByDateWorkload(TRANSITION, dates, tag);
    const warm = dateByDateWorkload(TRANSITION, WARMUP_DATES, `${tag}w`, "2022-01-01");

    const minimum = new MinimumReference();
    await runPool(warm.length, concurrency, (i) => minimum.handle(warm[i] as never));
    const min = measured(
      work.length,
      await runPool(work.length, concurrency, (i) => minimum.handle(work[i] as never)),
    );
    await minimum.close();
    minimumRates.set(concurrency, min.perSecond);

    const ours = await benchOrchestrator(TRANSITION, env.pubsubHost);
    await runPool(warm.length, concurrency, (i) => {
      const d = warm[i] as (typeof warm)[number];
      return ours.send(d.message, d.messageId);
    });
    const oursRun = measured(
      work.length,
      await runPool(work.length, concurrency, (i) => {
        const d = work[i] as (typeof work)[number];
        return ours.send(d.message, d.messageId);
      }),
    );
    const oursTriggers = (await ours.pullTriggers()).filter((t) => t.game_date >= "2023");
    if (oursTriggers.length !== dates) {
      failures.push(`ours at c=${concurrency}: ${oursTriggers.length} triggers for ${dates} dates`);
    }
    if (oursRun.failures > 0) failures.push(`ours at c=${concurrency}: ${oursRun.failures} failed`);
    await ours.close();

    const rival = await rivalHarness(TRANSITION, env.pubsubHost);
    await runPool(warm.length, concurrency, (i) => {
      const d = warm[i] as (typeof warm)[number];
      return rival.send(d.message, d.messageId);
    });
    const rivalRun = measured(
      work.length,
      await runPool(work.length, concurrency, (i) => {
        const d = work[i] as (typeof work)[number];
        return rival.send(d.message, d.messageId);
      }),
    );
    await rival.close();

    rows.push([
      String(concurrency),
      String(work.length),
      fixed(min.perSecond),
      fixed(oursRun.perSecond),
      ratio(oursRun.perSecond / min.perSecond),
      `${fixed(oursRun.p50Ms)} / ${fixed(oursRun.p99Ms)}`,
      fixed(rivalRun.perSecond),
      ratio(rivalRun.perSecond / min.perSecond),
      `${fixed(rivalRun.p50Ms)} / ${fixed(rivalRun.p99Ms)}`,
      String(rivalRun.failures),
    ]);
    if (concurrency === 8) {
      const share = oursRun.perSecond / min.perSecond;
      targets.push({
        name: `throughput at concurrency 8 ≥ ${TARGET_SHARE_AT_8} × emulator minimum`,
        met: share >= TARGET_SHARE_AT_8,
        detail: `${ratio(share)} (${fixed(oursRun.perSecond)} vs ${fixed(min.perSecond)} /s)`,
      });
    }
  }
  const table = markdownTable(
    [
      "concurrency",
      "completions",
      "minimum /s",
      "ours /s",
      "ours ÷ min",
      "ours p50/p99 ms",
      "rival /s",
      "rival ÷ min",
      "rival p50/p99 ms",
      "rival errors",
    ],
    rows,
  );
  const notes = [
    `Orchestrator ${TRANSITION} (6 processors, the 6th completion of each date triggers), backup: none (BACKUP_KIND=none), triggers published to the Pub/Sub emulator and counted by pulling.`,
    "Minimum: one read+write transaction per completion on its own document. Rival: one transaction per message on a per-date document (bench/rival).",
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
