import { type Clock, systemClock } from "../clock";
import type { AlertInput } from "./alert";
import type { AlertCooldownStore } from "./alert_cooldown_store";
import { fingerprintKey, fingerprintOf } from "./alert_fingerprint";
import { type AlertTimers, systemTimers, withTimeout } from "./alert_timers";

/** Default time during which repeats of one fingerprint are held back. */
export const DEFAULT_COOLDOWN_MINUTES = 15;
/** Default longest wait for the shared store before deciding in-process. */
export const DEFAULT_STORE_TIMEOUT_MS = 1_000;
/** Above this many remembered fingerprints, expired ones are forgotten. */
const MAX_REMEMBERED_FINGERPRINTS = 1_000;
const MS_PER_MINUTE = 60_000;

/** Whether to send an alert now, and what to say about the ones held back before it. */
export type Admission =
  | {
      send: true;
      suppressedCount: number;
      /** When the previous alert of this fingerprint went out, if known. */
      previousSentAt?: Date;
      /**
       * `store`: decided with the shared store; `in_process`: no store configured;
       * `store_unavailable`: the store failed or was slow, so this instance decided alone.
       */
      decidedBy: "store" | "in_process" | "store_unavailable";
    }
  | { send: false };

interface LocalWindow {
  /** A store call for this fingerprint is in flight: repeats wait for no one, they are held. */
  pending: boolean;
  windowEndsAtMs: number;
  /** Occurrences held back here and not yet told to the store. */
  suppressed: number;
  lastSentAt?: Date;
  /** The window opened at this time was given back: its alert never reached anyone. */
  undeliveredSentAt?: Date;
}

/** Settings and collaborators of a storm guard. */
export interface StormGuardOptions {
  /** Shared cooldown state; without it, each instance keeps its own cooldown. */
  store?: AlertCooldownStore;
  cooldownMinutes?: number;
  storeTimeoutMs?: number;
  clock?: Clock;
  timers?: AlertTimers;
}

/**
 * Holds back repeats of the same alert (same fingerprint) for a cooldown shared across
 * instances. Each instance remembers the windows it learnt of, so a burst on one instance
 * costs one store call, not one per occurrence. When the store fails or is slow, the guard
 * decides alone and lets the alert through: an alert about Firestore being down must not
 * depend on Firestore.
 */
export class StormGuard {
  private readonly windows = new Map<string, LocalWindow>();
  private readonly cooldownMs: number;
  private readonly storeTimeoutMs: number;
  private readonly clock: Clock;
  private readonly timers: AlertTimers;

  constructor(private readonly options: StormGuardOptions = {}) {
    this.cooldownMs = (options.cooldownMinutes ?? DEFAULT_COOLDOWN_MINUTES) * MS_PER_MINUTE;
    this.storeTimeoutMs = options.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
  }

  /** Decides whether `alert` goes out now. Never throws. */
  async admit(alert: AlertInput): Promise<Admission> {
    const fingerprint = fingerprintOf(alert);
    const key = fingerprintKey(fingerprint);
    const now = this.clock.now();
    const known = this.windows.get(key);
    if (known && (known.pending || now.getTime() < known.windowEndsAtMs)) {
      known.suppressed += 1;
      return { send: false };
    }
    this.forgetExpired(now);
    const carried = known?.suppressed ?? 0;
    const window: LocalWindow = { pending: true, windowEndsAtMs: 0, suppressed: 0 };
    if (known?.lastSentAt) window.lastSentAt = known.lastSentAt;
    this.windows.set(key, window);

    const claim = this.options.store
      ? await withTimeout(
          this.options.store.claim(
            fingerprint,
            now,
            this.cooldownMs,
            carried,
            known?.undeliveredSentAt,
          ),
          this.storeTimeoutMs,
          this.timers,
          "unavailable" as const,
        ).catch(() => "unavailable" as const)
      : "unavailable";
    window.pending = false;

    if (claim !== "unavailable" && !claim.send) {
      window.windowEndsAtMs = claim.windowEndsAt.getTime();
      return { send: false };
    }
    window.windowEndsAtMs = now.getTime() + this.cooldownMs;
    window.lastSentAt = now;
    if (claim === "unavailable") {
      const decidedBy = this.options.store ? "store_unavailable" : "in_process";
      const admission: Admission = { send: true, suppressedCount: carried, decidedBy };
      if (known?.lastSentAt) admission.previousSentAt = known.lastSentAt;
      return admission;
    }
    const admission: Admission = {
      send: true,
      suppressedCount: claim.suppressedCount,
      decidedBy: "store",
    };
    if (claim.previousSentAt) admission.previousSentAt = claim.previousSentAt;
    return admission;
  }

  /**
   * Gives back the window `admit` opened for `alert`, when the alert could not be posted:
   * a person who was never told should hear of the next occurrence. The next claim tells
   * the shared store so, instead of a call now that would outlive the alert's budget.
   */
  release(alert: AlertInput): void {
    const window = this.windows.get(fingerprintKey(fingerprintOf(alert)));
    if (!window?.lastSentAt) return;
    window.windowEndsAtMs = 0;
    window.undeliveredSentAt = window.lastSentAt;
  }

  /** Keeps memory bounded on long-lived instances that see many dates. */
  private forgetExpired(now: Date): void {
    if (this.windows.size < MAX_REMEMBERED_FINGERPRINTS) return;
    for (const [key, window] of this.windows) {
      if (!window.pending && window.suppressed === 0 && window.windowEndsAtMs <= now.getTime()) {
        this.windows.delete(key);
      }
    }
  }
}
