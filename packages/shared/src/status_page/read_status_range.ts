import type { StatusView } from "../tracker/status_view";

/** Dates read at once: enough to answer two months quickly without a burst of 124 reads. */
export const RANGE_READ_CONCURRENCY = 8;

/**
 * Reads the status of every date with at most `concurrency` reads in flight; the views
 * come back in the order of `dates`. `onRead` reports progress (the CLI prints it).
 */
export async function readStatusRange(
  dates: readonly string[],
  read: (gameDate: string) => Promise<StatusView>,
  options: { concurrency?: number; onRead?: (done: number, total: number) => void } = {},
): Promise<StatusView[]> {
  const out: StatusView[] = new Array(dates.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < dates.length) {
      const index = next++;
      out[index] = await read(dates[index] as string);
      options.onRead?.(++done, dates.length);
    }
  };
  const workers = Math.min(options.concurrency ?? RANGE_READ_CONCURRENCY, dates.length);
  await Promise.all(Array.from({ length: workers }, worker));
  return out;
}
