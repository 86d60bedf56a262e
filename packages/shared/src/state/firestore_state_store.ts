import { type DocumentReference, type Firestore, Timestamp } from "@google-cloud/firestore";
import { ConflictError } from "../errors";
import type { PhaseSnapshot, TriggerRecord } from "./phase_state";
import { type CompletionInput, foldDeliveries } from "./processor_fold";

export type { CompletionInput } from "./processor_fold";
import { datesBetween } from "../messages/game_date";
import { deliveryDocId } from "./delivery_doc_id";

/** Firestore's code for a `create()` on a document that already exists. */
const ALREADY_EXISTS = 6;
const DELIVERIES = "deliveries";
/** Once-only markers per date (alert sent, …), beside the deliveries. */
const NOTICES = "notices";

/** Whether a delivery was new. */
export interface RecordResult {
  duplicate: boolean;
}

/** What happened to an attempt to take the right to publish a claimed trigger. */
export type LeaseResult =
  | { kind: "taken"; record: TriggerRecord }
  | { kind: "published"; record: TriggerRecord }
  | { kind: "held"; record: TriggerRecord }
  | { kind: "missing" };

/**
 * Completion state and trigger decisions in Firestore.
 *
 * Layout: `{collection}/{gameDate}/deliveries/{id}` holds one document per Pub/Sub
 * delivery, written once with `create()`; a burst for one date (even of one processor)
 * never contends on a shared document, and a redelivery is recognised by the failed
 * create. Processor state is folded from the deliveries when read.
 * `{collection}/{gameDate}` exists only once the trigger is claimed, created with
 * `create()` so that exactly one caller wins however many race.
 */
export class FirestoreStateStore {
  constructor(
    private readonly db: Firestore,
    private readonly collection: string,
  ) {}

  /** Records one delivery; a redelivery of the same message id changes nothing. */
  async recordCompletion(input: CompletionInput): Promise<RecordResult> {
    const ref = this.dateRef(input.gameDate)
      .collection(DELIVERIES)
      .doc(deliveryDocId(input.messageId));
    try {
      await ref.create(toDeliveryDoc(input));
      return { duplicate: false };
    } catch (error) {
      if ((error as { code?: unknown }).code === ALREADY_EXISTS) return { duplicate: true };
      throw error;
    }
  }

  /** Every processor and the trigger decision of one date. */
  async readSnapshot(gameDate: string): Promise<PhaseSnapshot> {
    const [dateSnap, deliveries] = await Promise.all([
      this.dateRef(gameDate).get(),
      this.dateRef(gameDate).collection(DELIVERIES).get(),
    ]);
    const trigger = dateSnap.exists ? (dateSnap.get("trigger") as TriggerRecord) : undefined;
    return {
      gameDate,
      processors: foldDeliveries(deliveries.docs.map((d) => fromDeliveryDoc(d.data()))),
      ...(trigger !== undefined && { trigger }),
    };
  }

  /** Claims the trigger of a date; exactly one of any number of concurrent callers wins. */
  async claimTrigger(
    gameDate: string,
    record: TriggerRecord,
  ): Promise<{ claimed: true } | { claimed: false; existing: TriggerRecord }> {
    try {
      await this.dateRef(gameDate).create({ trigger: record, claimedAt: Timestamp.now() });
      return { claimed: true };
    } catch (error) {
      if ((error as { code?: unknown }).code !== ALREADY_EXISTS) throw error;
      const existing = (await this.dateRef(gameDate).get()).get("trigger") as TriggerRecord;
      return { claimed: false, existing };
    }
  }

  /**
   * Takes the right to publish a claimed but unpublished trigger: granted when the lease
   * has expired or `holder` (one attempt) already holds it.
   */
  async takePublishLease(
    gameDate: string,
    holder: string,
    now: Date,
    leaseMs: number,
    messageId?: string,
  ): Promise<LeaseResult> {
    const ref = this.dateRef(gameDate);
    return this.db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists) return { kind: "missing" };
      const record = snap.get("trigger") as TriggerRecord;
      if (record.published) return { kind: "published", record };
      const expired = new Date(record.leaseExpiresAt).getTime() <= now.getTime();
      if (!expired && record.leaseHolder !== holder) return { kind: "held", record };
      const leaseExpiresAt = new Date(now.getTime() + leaseMs).toISOString();
      // Firestore has no "unset" inside update(): a caller without a message id writes null.
      const leaseMessageId = messageId ?? null;
      tx.update(ref, {
        "trigger.leaseHolder": holder,
        "trigger.leaseExpiresAt": leaseExpiresAt,
        "trigger.leaseMessageId": leaseMessageId,
      });
      const taken = { ...record, leaseHolder: holder, leaseExpiresAt };
      if (messageId !== undefined) taken.leaseMessageId = messageId;
      else delete taken.leaseMessageId;
      return { kind: "taken", record: taken };
    });
  }

  /** Gives the lease up at once after a failed publish, so a redelivery need not wait. */
  async releasePublishLease(gameDate: string, holder: string, now: Date): Promise<void> {
    const ref = this.dateRef(gameDate);
    await this.db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists || snap.get("trigger.leaseHolder") !== holder) return;
      tx.update(ref, { "trigger.leaseExpiresAt": now.toISOString() });
    });
  }

  /** Marks the trigger of `generation` as published. */
  async markPublished(
    gameDate: string,
    generation: number,
    publishMessageId: string,
    now: Date,
  ): Promise<void> {
    const ref = this.dateRef(gameDate);
    await this.db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists || snap.get("trigger.generation") !== generation) return;
      tx.update(ref, {
        "trigger.published": true,
        "trigger.publishedAt": now.toISOString(),
        "trigger.publishMessageId": publishMessageId,
      });
    });
  }

  /**
   * Replaces the trigger with the next generation (a forced retrigger), returning the old
   * one; throws `ConflictError` when the stored generation is not the one before `next`.
   */
  async replaceTrigger(gameDate: string, next: TriggerRecord): Promise<TriggerRecord | undefined> {
    const ref = this.dateRef(gameDate);
    return this.db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      const previous = snap.exists ? (snap.get("trigger") as TriggerRecord) : undefined;
      // Two operators forcing the same date at once: the second finds the generation moved.
      if ((previous?.generation ?? 0) !== next.generation - 1) {
        throw new ConflictError(
          `trigger of ${gameDate} is at generation ${previous?.generation ?? 0}, not ${next.generation - 1}: someone retriggered it meanwhile`,
        );
      }
      tx.set(ref, { trigger: next, claimedAt: Timestamp.now() });
      return previous;
    });
  }

  /** Dates that have a claimed trigger which was never marked published. */
  async listUnpublishedTriggers(): Promise<TriggerRecord[]> {
    const snaps = await this.db
      .collection(this.collection)
      .where("trigger.published", "==", false)
      .get();
    return snaps.docs.map((d) => d.get("trigger") as TriggerRecord);
  }

  /** Game dates in [from, to] that have any processor state, found by collection group. */
  async listDatesWithProcessors(from: string, to: string): Promise<string[]> {
    const dates = new Set<string>();
    const refs = await this.db.collection(this.collection).listDocuments();
    for (const ref of refs) if (ref.id >= from && ref.id <= to) dates.add(ref.id);
    return [...dates].sort();
  }

  /**
   * Game dates in [from, to] with at least one delivery, trigger or not. One `limit(1)` read
   * per date, no index needed: the sweep looks at a few days, so this stays a handful of
   * reads however many messages a date received.
   */
  async listDatesWithDeliveries(from: string, to: string): Promise<string[]> {
    const dates = datesBetween(from, to);
    const found = await Promise.all(
      dates.map(async (date) => {
        const page = await this.dateRef(date).collection(DELIVERIES).select().limit(1).get();
        return page.empty ? undefined : date;
      }),
    );
    return found.filter((d): d is string => d !== undefined);
  }

  /** The trigger of each date, if claimed, in one batched read of the date documents. */
  async readTriggers(gameDates: readonly string[]): Promise<Map<string, TriggerRecord>> {
    const out = new Map<string, TriggerRecord>();
    if (gameDates.length === 0) return out;
    const snaps = await this.db.getAll(...gameDates.map((d) => this.dateRef(d)));
    for (const snap of snaps) {
      if (snap.exists) out.set(snap.id, snap.get("trigger") as TriggerRecord);
    }
    return out;
  }

  /**
   * True for exactly one caller per date and `key`, however many race: used so that a
   * condition seen by every message and every sweep (a blocked gate, a missed deadline)
   * alerts once.
   */
  async claimNotice(gameDate: string, key: string, now: Date): Promise<boolean> {
    const ref = this.dateRef(gameDate).collection(NOTICES).doc(noticeDocId(key));
    try {
      await ref.create({ key, at: Timestamp.fromDate(now) });
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === ALREADY_EXISTS) return false;
      throw error;
    }
  }

  /** Stores what a follow-up of a published trigger (the coordinator call) came to. */
  async recordTriggerFollowUp(
    gameDate: string,
    generation: number,
    name: string,
    outcome: Record<string, unknown>,
  ): Promise<void> {
    const ref = this.dateRef(gameDate);
    await this.db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists || snap.get("trigger.generation") !== generation) return;
      tx.update(ref, { [`trigger.followUps.${name}`]: outcome });
    });
  }

  /** A cheap read that proves Firestore answers, for readiness checks. */
  async ping(): Promise<void> {
    await this.db.collection(this.collection).limit(1).get();
  }

  private dateRef(gameDate: string): DocumentReference {
    return this.db.collection(this.collection).doc(gameDate);
  }
}

function toDeliveryDoc(input: CompletionInput): Record<string, unknown> {
  return { ...input, receivedAt: Timestamp.fromDate(input.receivedAt) };
}

function fromDeliveryDoc(data: FirebaseFirestore.DocumentData): CompletionInput {
  return { ...(data as CompletionInput), receivedAt: (data.receivedAt as Timestamp).toDate() };
}

/** Notice keys are chosen in code, but kept to safe document-id characters regardless. */
function noticeDocId(key: string): string {
  return key.replace(/[^A-Za-z0-9_-]/g, "_");
}
