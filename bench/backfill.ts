/**
 * Backfill: every processor of phases 2, 3 and 4 for 500 dates replayed through the chain.
 * Phase 2 completions go in first; each phase 3 trigger pulled from the emulator releases
 * that date's phase 3 completions, and each phase 4 trigger its phase 4 completions.
 * Measures the time to the last trigger and counts triggers (must be exactly 3 × dates).
 * Run alone: `pnpm exec tsx bench/backfill.ts [dates]`.
 */
import { performance } from "node:perf_hooks";
import { TRANSITION_NAMES } from "../packages/shared/src/config/transition_defaults";
import { type BenchEnv, dateRange, progress } from "./lib/bench_env";
import { loadNote } from "./lib/machine";
import { mainOf } from "./lib/main";
import { MinimumReference } from "./lib/minimum";
import { type BenchOrchestrator, benchOrchestrator } from "./lib/orchestrator_harness";
import { runPool } from "./lib/pool";
import { type BenchSection, markdownTable } from "./lib/report";
import { fixed, ratio } from "./lib/stats";
import { type Delivery, dateByDateWorkload, FIRST_BENCH_DATE } from "./lib/workload";

const DEFAULT_DATES = 500;
const CONCURRENCY = 16;
const PROGRESS_INTERVAL_MS = 10_000;
const PULL_INTERVAL_MS = 250;
/** The whole chain must finish within this, or the run fails. */
const TIMEOUT_MS = 300_000;
/** Completions of the minimum reference run in the same process, for the ratio. */
const REFERENCE_COMPLETIONS = 400;

/** Runs the backfill through all three orchestrators in this process. */
export async function runBackfill(env: BenchEnv, dates = DEFAULT_DATES): Promise<BenchSection> {
  const loadBefore = loadNote();
  const failures: string[] = [];
  const stages: BenchOrchestrator[] = [];
  for (const name of TRANSITION_NAMES) stages.push(await benchOrchestrator(name, env.pubsubHost));
  const queue: { stage: number; delivery: Delivery }[] = [];
  const enqueue = (stage: number, deliveries: Delivery[]) => {
    for (const delivery of deliveries) queue.push({ stage, delivery });
  };
  const gameDates = dateRange(FIRST_BENCH_DATE, dates);
  const forDate = (stage: number, date: string) =>
    dateByDateWorkload(TRANSITION_NAMES[stage] as never, 1, `bf${stage}`, date);
  for (const d of gameDates) enqueue(0, forDate(0, d));
  const triggered = stages.map(() => new Map<string, number>());
  const sent = [0, 0, 0];
  let rejected = 0;
  let lastTriggerAt = 0;
  const started = performance.now();
  const deadline = started + TIMEOUT_MS;
  const done = () => triggered.every((m) => m.size === dates) && queue.length === 0;

  let lastProgressAt = started;
  const pullLoop = async () => {
    while (!done() && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, PULL_INTERVAL_MS));
      for (let s = 0; s < stages.length; s++) {
        for (const t of await (stages[s] as BenchOrchestrator).pullTriggers()) {
          const seen = triggered[s] as Map<string, number>;
          seen.set(t.game_date, (seen.get(t.game_date) ?? 0) + 1);
          lastTriggerAt = performance.now();
          if (seen.get(t.game_date) === 1 && s + 1 < stages.length) {
            enqueue(s + 1, forDate(s + 1, t.game_date));
          }
        }
      }
      if (performance.now() - lastProgressAt > PROGRESS_INTERVAL_MS) {
        lastProgressAt = performance.now();
        const counts = triggered.map((m) => m.size).join(" / ");
        progress(`backfill: triggers ${counts}, queued ${queue.length}`);
      }
    }
  };
  const worker = async () => {
    while (!done() && performance.now() < deadline) {
      const item = queue.shift();
      if (item === undefined) {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      const ok = await (stages[item.stage] as BenchOrchestrator)
        .send(item.delivery.message, item.delivery.messageId)
        .catch(() => false);
      sent[item.stage] = (sent[item.stage] ?? 0) + 1;
      // A 5xx is what Pub/Sub would redeliver; put it back at the end of the queue.
      if (!ok) {
        rejected++;
        queue.push(item);
      }
    }
  };
  progress(`backfill: ${dates} dates through ${stages.length} orchestrators`);
  await Promise.all([pullLoop(), ...Array.from({ length: CONCURRENCY }, worker)]);
  const chainMs = lastTriggerAt - started;
  // A last look for duplicates that arrived after the count was reached.
  await new Promise((r) => setTimeout(r, 1000));
  for (let s = 0; s < stages.length; s++) {
    for (const t of await (stages[s] as BenchOrchestrator).pullTriggers()) {
      const seen = triggered[s] as Map<string, number>;
      seen.set(t.game_date, (seen.get(t.game_date) ?? 0) + 1);
    }
  }
  for (const s of stages) await s.close();
  const totalTriggers = triggered.reduce(
    (n, m) => n + [...m.values()].reduce((a, b) => a + b, 0),
    0,
  );
  if (totalTriggers !== 3 * dates) {
    failures.push(`${totalTriggers} triggers, expected exactly ${3 * dates}`);
  }
  if (performance.now() >= deadline) failures.push(`did not finish within ${TIMEOUT_MS / 1000} s`);

  const totalSent = sent.reduce((a, b) => a + b, 0);
  progress("backfill: minimum reference");
  const reference = await minimumRate(dates);
  const expectedMs = (totalSent / reference) * 1000;
  const rows = TRANSITION_NAMES.map((name, s) => [
    name,
    String(sent[s]),
    String([...(triggered[s] as Map<string, number>).values()].reduce((a, b) => a + b, 0)),
  ]);
  const table = markdownTable(["orchestrator", "completions delivered", "triggers pulled"], rows);
  const summary = markdownTable(
    ["dates", "completions", "triggers", "time to last trigger s", "completions/s", "÷ minimum"],
    [
      [
        String(dates),
        String(totalSent),
        `${totalTriggers} of ${3 * dates}`,
        fixed(chainMs / 1000),
        fixed(totalSent / (chainMs / 1000)),
        ratio(expectedMs / chainMs),
      ],
    ],
  );
  const notes = [
    `${CONCURRENCY} workers share one queue across the three orchestrators (in this process, through route(), backup none); triggers are pulled from the Pub/Sub emulator every ${PULL_INTERVAL_MS} ms and release the next phase's completions for that date. Deliveries answered 5xx and put back: ${rejected}.`,
    `"÷ minimum" is the chain's rate over the emulator minimum (one read+write transaction per completion, ${REFERENCE_COMPLETIONS} completions at concurrency ${CONCURRENCY}: ${fixed(reference)} /s) measured in the same run.`,
    `Load average before: ${loadBefore}; after: ${loadNote()}.`,
  ].join("\n");
  return {
    key: "backfill",
    title: "Backfill",
    markdown: `${summary}\n\n${table}\n\n${notes}`,
    targets: [],
    failures,
  };
}

/** The emulator minimum at the backfill's concurrency, measured now. */
async function minimumRate(dates: number): Promise<number> {
  const minimum = new MinimumReference();
  const work = dateByDateWorkload(
    "phase2-to-phase3",
    Math.ceil(REFERENCE_COMPLETIONS / 6),
    `bfmin${dates}`,
  );
  const run = await runPool(work.length, CONCURRENCY, (i) => minimum.handle(work[i] as Delivery));
  await minimum.close();
  return work.length / (run.wallMs / 1000);
}

const argDates = Number(process.argv[2]);
await mainOf(import.meta.url, "backfill", (env) =>
  runBackfill(env, Number.isInteger(argDates) && argDates > 0 ? argDates : DEFAULT_DATES),
);
