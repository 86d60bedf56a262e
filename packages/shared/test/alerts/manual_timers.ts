import { ManualClock } from "../../src/clock";
import type { AlertTimers } from "../../src/alerts/alert_timers";

/**
 * Fake time for alert tests: a clock plus timers that fire only when `advance` moves time
 * past them. `sleep` records each wait and moves time by it, so backoff needs no real delay.
 */
export class ManualTimers implements AlertTimers {
  readonly clock: ManualClock;
  /** Every wait the code under test asked for, in order. */
  readonly sleeps: number[] = [];
  private pending: { dueMs: number; callback: () => void; id: number }[] = [];
  private nextId = 1;

  constructor(start = "2025-01-15T06:00:00Z") {
    this.clock = new ManualClock(start);
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.pending.push({ dueMs: this.clock.now().getTime() + delayMs, callback, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((t) => t.id !== handle);
  }

  /** Timers not yet fired nor cleared. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Moves time forward and fires every timer that falls due, earliest first. */
  advance(ms: number): void {
    this.clock.advance(ms);
    const nowMs = this.clock.now().getTime();
    const due = this.pending.filter((t) => t.dueMs <= nowMs).sort((a, b) => a.dueMs - b.dueMs);
    this.pending = this.pending.filter((t) => t.dueMs > nowMs);
    for (const timer of due) timer.callback();
  }

  /** A sleep for the poster: records the wait and lets fake time pass. */
  readonly sleep = async (delayMs: number): Promise<void> => {
    this.sleeps.push(delayMs);
    this.advance(delayMs);
  };
}
