/** Source of the current time, injected so that tests control it. */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** Source of randomness in [0, 1), injected so that jitter is testable. */
export type RandomSource = () => number;

/** A clock for tests and simulations that only moves when told to. */
export class ManualClock implements Clock {
  private currentMs: number;

  constructor(start: Date | string) {
    this.currentMs = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.currentMs);
  }

  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.currentMs += ms;
  }

  /** Sets the clock to an absolute time. */
  set(time: Date | string): void {
    this.currentMs = new Date(time).getTime();
  }
}
