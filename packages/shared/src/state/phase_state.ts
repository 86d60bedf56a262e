import type { TriggerMessage } from "../messages/trigger_message";

/** Outcome reported by a processor; only success and partial count toward completion. */
export type CompletionStatus = "success" | "partial" | "failed" | "skipped";

/** How the trigger rule reads the calendar: the game date against today in New York. */
export type RunMode = "overnight" | "same_day" | "tomorrow";

/** What is known about one processor for one game date. */
export interface ProcessorState {
  /** Canonical name for an expected processor, the name as reported for an unknown one. */
  processor: string;
  /** Whether the name resolved to one of the expected processors. */
  known: boolean;
  /** Names as the processor reported them (class names, tables, …), for diagnosis. */
  reportedNames: string[];
  /** Most recent reported status. */
  lastStatus: CompletionStatus;
  /** True once any delivery reported success or partial. */
  counted: boolean;
  /** Status of the delivery that made it count, if any. */
  countedStatus?: CompletionStatus;
  /** ISO time this processor was first seen for the date. */
  firstSeenAt: string;
  /** ISO time of the most recent delivery. */
  lastSeenAt: string;
  /** ISO time the processor first counted toward completion. */
  completedAt?: string;
  /** Deliveries received, duplicates included. */
  deliveries: number;
  /** Recent Pub/Sub message ids, used to recognise redeliveries. */
  messageIds: string[];
  recordCount: number;
  correlationId?: string;
  executionId?: string;
  /** Phase 3 entity hints, passed on in the phase 4 trigger. */
  isIncremental?: boolean;
  entitiesChanged?: string[];
}

/** The atomic decision that the next phase is due, and whether its trigger went out. */
export interface TriggerRecord {
  /** Stable key for this transition, date and generation; downstream drops repeats. */
  idempotencyKey: string;
  /** 1 for the normal trigger; a forced retrigger increments it. */
  generation: number;
  reason: string;
  mode: RunMode;
  claimedAt: string;
  /** Pub/Sub message id of the delivery that made the decision. */
  claimedByMessageId: string;
  /** Holder of the right to publish, and until when; lets a redelivery take over. */
  leaseHolder: string;
  /** Pub/Sub message id of the lease holder's delivery, when a delivery holds it. */
  leaseMessageId?: string | null;
  leaseExpiresAt: string;
  published: boolean;
  publishedAt?: string;
  publishMessageId?: string;
  /** Exactly what is (or will be) published. */
  payload: TriggerMessage;
  /** Who asked for a forced retrigger and why, when one was made. */
  forcedBy?: string;
  forcedReason?: string;
}

/** Everything stored for one transition and one game date. */
export interface PhaseSnapshot {
  gameDate: string;
  processors: ProcessorState[];
  trigger?: TriggerRecord;
}
