/**
 * Timers the alerter waits with (backoff, Retry-After, the budget deadline), injected so that
 * tests move time by hand instead of sleeping.
 */
export interface AlertTimers {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers; unref'd so that a pending alert never keeps a finished process alive. */
export const systemTimers: AlertTimers = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Resolves after `delayMs` on the given timers. */
export function sleep(timers: AlertTimers, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    timers.setTimeout(resolve, delayMs);
  });
}

/**
 * Settles with the promise's value, or with `onTimeout` once `timeoutMs` has passed first.
 * The losing promise keeps running; its rejection is observed so it is never "unhandled".
 */
export function withTimeout<T, F>(
  promise: Promise<T>,
  timeoutMs: number,
  timers: AlertTimers,
  onTimeout: F,
): Promise<T | F> {
  return new Promise<T | F>((resolve, reject) => {
    const handle = timers.setTimeout(() => resolve(onTimeout), Math.max(0, timeoutMs));
    promise.then(
      (value) => {
        timers.clearTimeout(handle);
        resolve(value);
      },
      (error: unknown) => {
        timers.clearTimeout(handle);
        reject(error);
      },
    );
  });
}
