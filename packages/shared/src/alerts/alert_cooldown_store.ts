import { type Firestore, Timestamp } from "@google-cloud/firestore";
import { type AlertFingerprint, fingerprintKey } from "./alert_fingerprint";

/** Default collection holding one document per fingerprint. */
export const DEFAULT_COOLDOWN_COLLECTION = "alert_cooldowns";
/** Documents outlive their window by this much, so a TTL policy on `expireAt` can clean up. */
const EXPIRE_AFTER_WINDOW_MS = 24 * 60 * 60 * 1000;
/** gRPC status of a create() whose document already exists. */
const ALREADY_EXISTS = 6;

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
   */
  claim(
    fingerprint: AlertFingerprint,
    now: Date,
    cooldownMs: number,
    carriedSuppressed: number,
  ): Promise<CooldownClaim>;
}

/**
 * The cooldown store in Firestore: one document per fingerprint (id = its hash). A
 * transaction reads and writes it, so two instances racing on the same failure send once.
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
  ): Promise<CooldownClaim> {
    const ref = this.firestore.collection(this.collection).doc(fingerprintKey(fingerprint));
    // First occurrence: create() lets exactly one racer win without a transaction, whose
    // lock waits under contention took seconds on the emulator (more than the alert budget).
    try {
      await ref.create(this.windowStart(fingerprint, now, cooldownMs));
      return { send: true, suppressedCount: carriedSuppressed };
    } catch (error) {
      if ((error as { code?: unknown }).code !== ALREADY_EXISTS) throw error;
    }
    return this.firestore.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      const lastSentAt = snapshot.get("lastSentAt") as Timestamp | undefined;
      const suppressed = (snapshot.get("suppressedCount") as number | undefined) ?? 0;
      const windowEndsMs = lastSentAt ? lastSentAt.toMillis() + cooldownMs : 0;
      if (now.getTime() < windowEndsMs) {
        tx.update(ref, {
          suppressedCount: suppressed + carriedSuppressed + 1,
          updatedAt: Timestamp.fromDate(now),
        });
        return { send: false, windowEndsAt: new Date(windowEndsMs) };
      }
      tx.set(ref, this.windowStart(fingerprint, now, cooldownMs));
      const claim: CooldownClaim = { send: true, suppressedCount: suppressed + carriedSuppressed };
      if (lastSentAt) claim.previousSentAt = lastSentAt.toDate();
      return claim;
    });
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
