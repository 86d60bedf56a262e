import { FieldValue, type Firestore, Timestamp } from "@google-cloud/firestore";
import { TransientDependencyError } from "../errors";
import { type AlertFingerprint, fingerprintKey } from "./alert_fingerprint";

/** Default collection holding one document per fingerprint. */
export const DEFAULT_COOLDOWN_COLLECTION = "alert_cooldowns";
/** Documents outlive their window by this much, so a TTL policy on `expireAt` can clean up. */
const EXPIRE_AFTER_WINDOW_MS = 24 * 60 * 60 * 1000;
/** gRPC status of a create() whose document already exists. */
const ALREADY_EXISTS = 6;
/** gRPC status of a write whose `lastUpdateTime` precondition no longer holds. */
const FAILED_PRECONDITION = 9;
/** Read-and-write rounds before giving up; the guard then decides in process. */
const MAX_OPTIMISTIC_ROUNDS = 5;

/** The shared decision for one occurrence of an alert. */
export type CooldownClaim =
  /** Send it; `suppressedCount` alerts were held back since `previousSentAt`. */
  | { send: true; suppressedCount: number; previousSentAt?: Date }
  /** Hold it back: another occurrence was sent and the window lasts until `windowEndsAt`. */
  | { send: false; windowEndsAt: Date };

/** Cooldown state shared by every instance of every function. */
export interface AlertCooldownStore {
  /**
   * Atomically decides whether this occurrence is sent. `carriedSuppressed` adds occurrences
   * this instance held back on its own since it last asked, so that they are reported too.
   * Throws when the store cannot be reached; the caller falls back to its own memory.
   * `undeliveredSentAt` names a window this caller opened whose alert never reached anyone:
   * that window no longer holds this occurrence back.
   */
  claim(
    fingerprint: AlertFingerprint,
    now: Date,
    cooldownMs: number,
    carriedSuppressed: number,
    undeliveredSentAt?: Date,
  ): Promise<CooldownClaim>;
}

/**
 * The cooldown store in Firestore: one document per fingerprint (id = its hash). Every write
 * that opens a window is conditional (create(), or update() on an unchanged document), so
 * instances racing on the same failure send once.
 */
export class FirestoreCooldownStore implements AlertCooldownStore {
  constructor(
    private readonly firestore: Firestore,
    private readonly collection: string = DEFAULT_COOLDOWN_COLLECTION,
  ) {}

  async claim(
    fingerprint: AlertFingerprint,
    now: Date,
    cooldownMs: number,
    carriedSuppressed: number,
    undeliveredSentAt?: Date,
  ): Promise<CooldownClaim> {
    const ref = this.firestore.collection(this.collection).doc(fingerprintKey(fingerprint));
    for (let round = 1; round <= MAX_OPTIMISTIC_ROUNDS; round++) {
      // First occurrence (or the document expired): create() lets exactly one racer win.
      if (round === 1 || !(await ref.get()).exists) {
        try {
          await ref.create(this.windowStart(fingerprint, now, cooldownMs));
          return { send: true, suppressedCount: carriedSuppressed };
        } catch (error) {
          if ((error as { code?: unknown }).code !== ALREADY_EXISTS) throw error;
        }
      }
      const current = await ref.get();
      if (!current.exists) continue;
      const sentAt = current.get("lastSentAt") as Timestamp | undefined;
      const suppressed = (current.get("suppressedCount") as number | undefined) ?? 0;
      // Inside a window (the usual case during a storm) only a counter changes, and a window
      // only ends by time passing, so an increment needs no precondition.
      const undelivered = sentAt?.toMillis() === undeliveredSentAt?.getTime();
      if (sentAt && now.getTime() < sentAt.toMillis() + cooldownMs && !undelivered) {
        await ref.update({
          suppressedCount: FieldValue.increment(carriedSuppressed + 1),
          updatedAt: Timestamp.fromDate(now),
        });
        return { send: false, windowEndsAt: new Date(sentAt.toMillis() + cooldownMs) };
      }
      // The window has ended. Racers for the next one each write only if the document is
      // unchanged since they read it: one wins, the others read again and find its window.
      // (A transaction also works, but its lock waits took seconds on the emulator.)
      try {
        await ref.update(this.windowStart(fingerprint, now, cooldownMs), {
          lastUpdateTime: current.updateTime as Timestamp,
        });
      } catch (error) {
        if ((error as { code?: unknown }).code === FAILED_PRECONDITION) continue;
        throw error;
      }
      const claim: CooldownClaim = { send: true, suppressedCount: suppressed + carriedSuppressed };
      if (sentAt) claim.previousSentAt = sentAt.toDate();
      return claim;
    }
    throw new TransientDependencyError(
      "firestore",
      `alert cooldown document still contended after ${MAX_OPTIMISTIC_ROUNDS} rounds`,
      { code: "alert_cooldown_contended" },
    );
  }

  /** The document of a window that starts with an alert sent `now`. */
  private windowStart(fingerprint: AlertFingerprint, now: Date, cooldownMs: number) {
    return {
      ...fingerprint,
      lastSentAt: Timestamp.fromDate(now),
      suppressedCount: 0,
      updatedAt: Timestamp.fromDate(now),
      expireAt: Timestamp.fromMillis(now.getTime() + cooldownMs + EXPIRE_AFTER_WINDOW_MS),
    };
  }
}
