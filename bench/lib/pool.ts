import { performance } from "node:perf_hooks";

/** What running a batch of tasks at a fixed concurrency measured. */
export interface PoolRun {
  wallMs: number;
  /** Latency of each task, in completion order. */
  latenciesMs: number[];
  /** Tasks that threw or reported failure. */
  failures: number;
  /** First failure seen, for the report. */
  firstError?: string;
}

/**
 * Runs `count` tasks with at most `concurrency` in flight, timing each one. A task returns
 * false (or throws) to count as failed; the run carries on so the figure stays comparable.
 */
export async function runPool(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<boolean | undefined>,
): Promise<PoolRun> {
  const latenciesMs: number[] = [];
  let next = 0;
  let failures = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= count) return;
      const t0 = performance.now();
      try {
        const ok = await task(index);
        if (ok === false) {
          failures++;
          firstError ??= `task ${index} reported failure`;
        }
      } catch (error) {
        failures++;
        firstError ??= (error as Error).message ?? String(error);
      }
      latenciesMs.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const run: PoolRun = { wallMs: performance.now() - started, latenciesMs, failures };
  if (firstError !== undefined) run.firstError = firstError;
  return run;
}
