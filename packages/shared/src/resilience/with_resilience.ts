import type { BackupStore } from "../backup/backup_store";
import type { DeadlineTimers } from "../backup/call_deadline";
import type { RandomSource } from "../clock";
import type { StateStore } from "../state/state_store";
import { DependencyBreaker } from "./circuit_breaker";
import type { ResilienceEvent, ResilienceListener } from "./resilience_events";
import { loadResilienceSettings, type ResilienceSettings } from "./resilience_settings";
import { ResilientBackupStore } from "./resilient_backup_store";
import { ResilientStateStore } from "./resilient_state_store";
import { RetryRunner } from "./retry_policy";

/** Options of `withResilience`; everything has a production default. */
export interface WithResilienceOptions {
  /** Settings; read from `env` when absent. */
  settings?: ResilienceSettings;
  env?: Record<string, string | undefined>;
  random?: RandomSource;
  timers?: DeadlineTimers;
}

/** The wrapped stores, the instance's breaker and its events. */
export interface Resilience {
  state: StateStore;
  backup: BackupStore | null;
  breaker: DependencyBreaker;
  settings: ResilienceSettings;
  /** Subscribes to retries and breaker changes; returns the unsubscribe function. */
  onEvent(listener: ResilienceListener): () => void;
}

/**
 * Wraps the primary store with a deadline, retries and the instance's Firestore breaker,
 * and the backup with retries. Call once per instance: the breaker must be shared by every
 * request of the instance to see repeated failures.
 */
export function withResilience(
  stores: { state: StateStore; backup: BackupStore | null },
  options: WithResilienceOptions = {},
): Resilience {
  const settings = options.settings ?? loadResilienceSettings(options.env);
  const listeners = new Set<ResilienceListener>();
  const emit = (event: ResilienceEvent) => {
    for (const listener of listeners) listener(event);
  };
  const retry = new RetryRunner(
    {
      maxAttempts: settings.retryMaxAttempts,
      baseMs: settings.retryBaseMs,
      capMs: settings.retryCapMs,
    },
    options.random,
  );
  const breaker = new DependencyBreaker({
    consecutiveFailures: settings.breakerConsecutiveFailures,
    halfOpenAfterMs: settings.breakerHalfOpenAfterMs,
  });
  breaker.onEvent(({ kind, ...rest }) =>
    emit({ store: "firestore", kind: `breaker_${kind}`, ...rest } as ResilienceEvent),
  );
  const state = new ResilientStateStore(stores.state, {
    breaker,
    retry,
    callTimeoutMs: settings.firestoreCallTimeoutMs,
    onEvent: emit,
    ...(options.timers !== undefined && { timers: options.timers }),
  });
  const backup = stores.backup && new ResilientBackupStore(stores.backup, retry, emit);
  return {
    state,
    backup,
    breaker,
    settings,
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
