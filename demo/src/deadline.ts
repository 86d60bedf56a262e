/** The run took longer than its time limit. */
export class DemoTimeoutError extends Error {
  override readonly name = "DemoTimeoutError";
  readonly code = "demo_timeout";
  readonly retryable = false;
}

/** The run's overall time limit; every wait checks it. */
export class Deadline {
  private readonly endsAt: number;

  constructor(readonly limitMs: number) {
    this.endsAt = Date.now() + limitMs;
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - Date.now());
  }

  /** Resolves as `work` does, or rejects with `DemoTimeoutError` saying what was awaited. */
  async race<T>(work: Promise<T>, waitingFor: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.error(waitingFor)), this.remainingMs());
    });
    try {
      return await Promise.race([work, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Polls `done` every `intervalMs` until it is true, or rejects at the deadline. */
  async until(done: () => boolean, waitingFor: string, intervalMs = 50): Promise<void> {
    while (!done()) {
      if (this.remainingMs() === 0) throw this.error(waitingFor);
      await sleep(Math.min(intervalMs, this.remainingMs()));
    }
  }

  private error(waitingFor: string): DemoTimeoutError {
    return new DemoTimeoutError(
      `time limit of ${this.limitMs / 1000} s reached while waiting for ${waitingFor}`,
    );
  }
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
