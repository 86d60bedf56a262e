import type { Clock } from "../clock";
import { ReadinessTimeoutError, safeDependencyError } from "./dependency_error";

/** Default time limit of one dependency check (`READY_TIMEOUT_MS`). */
export const DEFAULT_READY_TIMEOUT_MS = 2000;
/** How long one answer is reused: probes every few seconds must not load the stores. */
export const DEFAULT_READY_CACHE_MS = 30_000;

/** One dependency to probe: a name shown to operators and a call that throws when it is down. */
export interface DependencyCheck {
  name: string;
  probe: () => Promise<void>;
}

/** The health of one dependency as `/ready` shows it. */
export interface DependencyHealth {
  ok: boolean;
  latencyMs: number;
  /** A short code (`timeout after 2000 ms`, `grpc unavailable`, `http 500`), never a message. */
  error: string | null;
}

/** The answer of `/ready`. */
export interface ReadinessReport {
  ready: boolean;
  /** When the checks ran (the answer may be reused for the cache period). */
  checkedAt: string;
  dependencies: Record<string, DependencyHealth>;
}

/** Timer functions, injected so a test can drive time limits without sleeping. */
export interface ReadinessTimers {
  setTimeout: (callback: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  /** Monotonic milliseconds, for latencies. */
  monotonicMs: () => number;
}

const systemTimers: ReadinessTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  monotonicMs: () => performance.now(),
};

/** Options of a `ReadinessChecker`. */
export interface ReadinessOptions {
  clock: Clock;
  timeoutMs?: number;
  cacheMs?: number;
  timers?: ReadinessTimers;
}

/**
 * Probes every dependency in parallel, each under its own time limit, and keeps the
 * answer for a while. Concurrent callers share one run, so a burst of probes costs one
 * round of checks.
 */
export class ReadinessChecker {
  private readonly timeoutMs: number;
  private readonly cacheMs: number;
  private readonly timers: ReadinessTimers;
  private cached: { report: ReadinessReport; atMs: number } | undefined;
  private running: Promise<ReadinessReport> | undefined;

  constructor(
    private readonly checks: readonly DependencyCheck[],
    private readonly options: ReadinessOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    this.cacheMs = options.cacheMs ?? DEFAULT_READY_CACHE_MS;
    this.timers = options.timers ?? systemTimers;
    if (!(this.timeoutMs > 0)) throw new RangeError(`timeoutMs must be > 0, got ${this.timeoutMs}`);
  }

  /** The latest report: reused while younger than the cache period, else checked anew. */
  async check(): Promise<ReadinessReport & { cached: boolean }> {
    const nowMs = this.options.clock.now().getTime();
    if (this.cached && nowMs - this.cached.atMs < this.cacheMs) {
      return { ...this.cached.report, cached: true };
    }
    if (!this.running) {
      this.running = this.runAll().finally(() => {
        this.running = undefined;
      });
    }
    return { ...(await this.running), cached: false };
  }

  private async runAll(): Promise<ReadinessReport> {
    const checkedAt = this.options.clock.now();
    const results = await Promise.all(this.checks.map((c) => this.runOne(c)));
    const dependencies: Record<string, DependencyHealth> = {};
    this.checks.forEach((c, i) => {
      dependencies[c.name] = results[i] as DependencyHealth;
    });
    const report = {
      ready: results.every((r) => r.ok),
      checkedAt: checkedAt.toISOString(),
      dependencies,
    };
    this.cached = { report, atMs: checkedAt.getTime() };
    return report;
  }

  private async runOne(check: DependencyCheck): Promise<DependencyHealth> {
    const started = this.timers.monotonicMs();
    let handle: unknown;
    const deadline = new Promise<never>((_, reject) => {
      handle = this.timers.setTimeout(
        () => reject(new ReadinessTimeoutError(check.name, this.timeoutMs)),
        this.timeoutMs,
      );
    });
    try {
      // The probe keeps running after a timeout; its late result is ignored.
      await Promise.race([check.probe(), deadline]);
      return { ok: true, latencyMs: this.elapsed(started), error: null };
    } catch (error) {
      return { ok: false, latencyMs: this.elapsed(started), error: safeDependencyError(error) };
    } finally {
      this.timers.clearTimeout(handle);
    }
  }

  private elapsed(startedMs: number): number {
    return Math.round(this.timers.monotonicMs() - startedMs);
  }
}
