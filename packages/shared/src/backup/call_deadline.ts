/** Timer functions, injected so that deadlines run on fake time in tests. */
export interface DeadlineTimers {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The process timers. */
export const systemTimers: DeadlineTimers = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Settles like `work`, or rejects with `onTimeout()` once `deadlineMs` has passed.
 * The work itself is not cancelled (the BigQuery client cannot abort a request); its late
 * result is ignored, which is safe because every write is idempotent.
 */
export async function withDeadline<T>(
  work: Promise<T>,
  deadlineMs: number,
  timers: DeadlineTimers,
  onTimeout: () => Error,
): Promise<T> {
  let handle: unknown;
  const expired = new Promise<never>((_, reject) => {
    handle = timers.setTimeout(() => reject(onTimeout()), deadlineMs);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    timers.clearTimeout(handle);
  }
}
