import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  SamplingBreaker,
} from "cockatiel";
import { isRetryable, TransientDependencyError } from "../errors";

/** When the breaker opens and when it probes again. */
export interface BreakerSettings {
  /** Failed calls in a row that open it. */
  consecutiveFailures: number;
  /** How long it stays open before letting one probe call through. */
  halfOpenAfterMs: number;
  /**
   * Open on a failure rate instead: at least `minimumRps` calls per second over
   * `durationMs` with `threshold` (0..1) of them failing. For high-traffic use; off by default.
   */
  sampling?: { threshold: number; durationMs: number; minimumRps: number };
}

/** What the breaker state is, as logs and `/status` show it. */
export type BreakerState = "closed" | "open" | "half_open";

/** A change the entry point logs and alerts on. `opened` and `closed` come once per outage. */
export type BreakerEvent =
  | { kind: "opened"; error: unknown }
  | { kind: "half_open" }
  | { kind: "probe_failed"; error: unknown }
  | { kind: "closed"; openForMs: number };

/** Code of the error raised, without any call, while the breaker is open. */
export const BREAKER_OPEN_CODE = "firestore_breaker_open";

/**
 * A circuit breaker in front of one dependency (Firestore), one per instance. Only
 * transient failures count: a permanent error says the request is wrong, not that the
 * service is down. While open, calls fail at once with a retryable `TransientDependencyError`
 * (`firestore_breaker_open`) and nothing reaches the dependency. cockatiel reads `Date.now`
 * for the open period, so tests move it with fake timers.
 */
export class DependencyBreaker {
  private readonly policy: CircuitBreakerPolicy;
  private readonly listeners = new Set<(event: BreakerEvent) => void>();
  // cockatiel re-emits "break" when a half-open probe fails; an outage is opened once.
  private openedAt: number | undefined;

  constructor(
    readonly settings: BreakerSettings,
    private readonly dependency = "firestore",
  ) {
    if (!Number.isInteger(settings.consecutiveFailures) || settings.consecutiveFailures < 1) {
      throw new RangeError(`consecutiveFailures must be >= 1, got ${settings.consecutiveFailures}`);
    }
    const breaker = settings.sampling
      ? new SamplingBreaker({
          threshold: settings.sampling.threshold,
          duration: settings.sampling.durationMs,
          minimumRps: settings.sampling.minimumRps,
        })
      : new ConsecutiveBreaker(settings.consecutiveFailures);
    this.policy = circuitBreaker(
      handleWhen((error) => isRetryable(error)),
      { halfOpenAfter: settings.halfOpenAfterMs, breaker },
    );
    this.policy.onBreak((reason) => {
      const error = "error" in reason ? reason.error : undefined;
      if (this.openedAt === undefined) {
        this.openedAt = Date.now();
        this.emit({ kind: "opened", error });
      } else {
        this.emit({ kind: "probe_failed", error });
      }
    });
    this.policy.onHalfOpen(() => this.emit({ kind: "half_open" }));
    this.policy.onReset(() => {
      const openForMs = this.openedAt === undefined ? 0 : Date.now() - this.openedAt;
      this.openedAt = undefined;
      this.emit({ kind: "closed", openForMs });
    });
  }

  /** The current state. */
  get state(): BreakerState {
    switch (this.policy.state) {
      case CircuitState.Closed:
        return "closed";
      case CircuitState.HalfOpen:
        return "half_open";
      default:
        return "open";
    }
  }

  /** Subscribes to state changes; returns the unsubscribe function. */
  onEvent(listener: (event: BreakerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs `work` unless the breaker is open; its outcome feeds the breaker. */
  async execute<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(() => work());
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new TransientDependencyError(
          this.dependency,
          `${this.dependency} circuit breaker is open; no call made`,
          { cause: error, code: BREAKER_OPEN_CODE },
        );
      }
      throw error;
    }
  }

  private emit(event: BreakerEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
