import { handleWhen, type IBackoff, type IRetryBackoffContext, retry } from "cockatiel";
import type { RandomSource } from "../clock";

/** How often and how long to wait between attempts. */
export interface RetrySettings {
  /** Attempts in all, the first included; 1 means no retry. */
  maxAttempts: number;
  /** Upper bound of the first retry's delay; doubles per retry. */
  baseMs: number;
  /** No delay is ever longer than this. */
  capMs: number;
}

/** One retry about to happen, for the entry point to log. */
export interface RetryEvent {
  /** Number of the attempt that failed, starting at 1. */
  attempt: number;
  /** Delay before the next attempt. */
  delayMs: number;
  error: unknown;
}

/**
 * "Full jitter" capped exponential backoff: the delay before retry n is uniform in
 * [0, min(cap, base · 2^(n-1))). Spreading retries over the whole window is what stops ten
 * instances that failed together from retrying together. The random source is injected so
 * that tests can pin every delay.
 */
export class CappedFullJitterBackoff implements IBackoff<IRetryBackoffContext<unknown>> {
  constructor(
    private readonly settings: RetrySettings,
    private readonly random: RandomSource,
    /** Retry number this delay precedes, starting at 1. */
    private readonly retryNumber = 1,
    /** This backoff's delay, drawn once when it is created. */
    readonly duration = fullJitterDelayMs(settings, retryNumber, random),
  ) {}

  next(): CappedFullJitterBackoff {
    return new CappedFullJitterBackoff(this.settings, this.random, this.retryNumber + 1);
  }
}

/** Delay before retry `retryNumber` (1-based), drawn with `random`. */
export function fullJitterDelayMs(
  settings: RetrySettings,
  retryNumber: number,
  random: RandomSource,
): number {
  const ceilingMs = Math.min(settings.capMs, settings.baseMs * 2 ** (retryNumber - 1));
  return Math.floor(random() * ceilingMs);
}

/**
 * Runs calls with cockatiel's retry policy and capped full jitter. Only errors for which
 * `shouldRetry` says yes are retried; anything else is rethrown at once. The wait itself is
 * cockatiel's `setTimeout`, so tests of delays use fake timers.
 */
export class RetryRunner {
  constructor(
    readonly settings: RetrySettings,
    private readonly random: RandomSource = Math.random,
  ) {
    if (!Number.isInteger(settings.maxAttempts) || settings.maxAttempts < 1) {
      throw new RangeError(`maxAttempts must be a whole number >= 1, got ${settings.maxAttempts}`);
    }
    if (!(settings.baseMs >= 0) || !(settings.capMs >= settings.baseMs)) {
      throw new RangeError(`need 0 <= baseMs <= capMs, got ${settings.baseMs}/${settings.capMs}`);
    }
  }

  /** Calls `work` until it succeeds, fails with an error not to retry, or runs out of attempts. */
  async run<T>(
    work: () => Promise<T>,
    shouldRetry: (error: unknown) => boolean,
    onRetry?: (event: RetryEvent) => void,
  ): Promise<T> {
    const policy = retry(
      handleWhen((error) => shouldRetry(error)),
      // cockatiel counts retries, not attempts; its factory is asked for the first delay.
      {
        maxAttempts: this.settings.maxAttempts - 1,
        backoff: { next: () => new CappedFullJitterBackoff(this.settings, this.random) },
      },
    );
    const listener = policy.onRetry((event) => {
      if ("error" in event) {
        onRetry?.({ attempt: event.attempt, delayMs: event.delay, error: event.error });
      }
    });
    try {
      return await policy.execute(() => work());
    } finally {
      listener.dispose();
    }
  }
}
