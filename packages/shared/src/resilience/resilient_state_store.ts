import { type DeadlineTimers, systemTimers, withDeadline } from "../backup/call_deadline";
import { isRetryable, TransientDependencyError } from "../errors";
import type { StateStore } from "../state/state_store";
import type { DependencyBreaker } from "./circuit_breaker";
import { classifyFirestoreError, grpcCodeOf } from "./classify_firestore_error";
import { codesRetriedByUs, type StateStoreMethod } from "./firestore_call_policy";
import type { ResilienceListener } from "./resilience_events";
import type { RetryRunner } from "./retry_policy";

/** Code of the error raised when one Firestore attempt passes its deadline. */
export const FIRESTORE_TIMEOUT_CODE = "firestore_timeout";

/** What the resilient store is made of. */
export interface ResilientStateStoreDeps {
  breaker: DependencyBreaker;
  retry: RetryRunner;
  /** Deadline of one attempt; the client alone would keep retrying UNAVAILABLE for 600 s. */
  callTimeoutMs: number;
  timers?: DeadlineTimers;
  onEvent?: ResilienceListener;
}

/**
 * The Firestore state store with a per-attempt deadline, retries of what the client does
 * not retry itself (firestore_call_policy.ts) and a circuit breaker. The breaker is the
 * outer layer: one logical call, retries included, is one success or one failure for it,
 * and while it is open no attempt, first or retry, reaches Firestore. Every attempt's
 * error is classified before the retry policy sees it, so the policy decides on
 * `retryable` and the gRPC code, never on a swallowed error.
 */
export class ResilientStateStore implements StateStore {
  private readonly timers: DeadlineTimers;

  constructor(
    private readonly inner: StateStore,
    private readonly deps: ResilientStateStoreDeps,
  ) {
    this.timers = deps.timers ?? systemTimers;
  }

  recordCompletion: StateStore["recordCompletion"] = (input) =>
    this.call("recordCompletion", input.gameDate, () => this.inner.recordCompletion(input));

  readSnapshot: StateStore["readSnapshot"] = (gameDate) =>
    this.call("readSnapshot", gameDate, () => this.inner.readSnapshot(gameDate));

  claimTrigger: StateStore["claimTrigger"] = (gameDate, record) =>
    this.call("claimTrigger", gameDate, () => this.inner.claimTrigger(gameDate, record));

  takePublishLease: StateStore["takePublishLease"] = (gameDate, holder, now, leaseMs, messageId) =>
    this.call("takePublishLease", gameDate, () =>
      this.inner.takePublishLease(gameDate, holder, now, leaseMs, messageId),
    );

  releasePublishLease: StateStore["releasePublishLease"] = (gameDate, holder, now) =>
    this.call("releasePublishLease", gameDate, () =>
      this.inner.releasePublishLease(gameDate, holder, now),
    );

  markPublished: StateStore["markPublished"] = (gameDate, generation, messageId, now) =>
    this.call("markPublished", gameDate, () =>
      this.inner.markPublished(gameDate, generation, messageId, now),
    );

  replaceTrigger: StateStore["replaceTrigger"] = (gameDate, next) =>
    this.call("replaceTrigger", gameDate, () => this.inner.replaceTrigger(gameDate, next));

  listUnpublishedTriggers: StateStore["listUnpublishedTriggers"] = () =>
    this.call("listUnpublishedTriggers", undefined, () => this.inner.listUnpublishedTriggers());

  listDatesWithProcessors: StateStore["listDatesWithProcessors"] = (from, to) =>
    this.call("listDatesWithProcessors", undefined, () =>
      this.inner.listDatesWithProcessors(from, to),
    );

  listDatesWithDeliveries: StateStore["listDatesWithDeliveries"] = (from, to) =>
    this.call("listDatesWithDeliveries", undefined, () =>
      this.inner.listDatesWithDeliveries(from, to),
    );

  readTriggers: StateStore["readTriggers"] = (gameDates) =>
    this.call("readTriggers", undefined, () => this.inner.readTriggers(gameDates));

  claimNotice: StateStore["claimNotice"] = (gameDate, key, now) =>
    this.call("claimNotice", gameDate, () => this.inner.claimNotice(gameDate, key, now));

  recordTriggerFollowUp: StateStore["recordTriggerFollowUp"] = (
    gameDate,
    generation,
    name,
    outcome,
  ) =>
    this.call("recordTriggerFollowUp", gameDate, () =>
      this.inner.recordTriggerFollowUp(gameDate, generation, name, outcome),
    );

  ping: StateStore["ping"] = () => this.call("ping", undefined, () => this.inner.ping());

  private call<T>(
    method: StateStoreMethod,
    gameDate: string | undefined,
    work: () => Promise<T>,
  ): Promise<T> {
    const ours = codesRetriedByUs(method);
    const shouldRetry = (error: unknown) => {
      const code = grpcCodeOf(error);
      return isRetryable(error) && code !== undefined && ours.has(code);
    };
    return this.deps.breaker.execute(() =>
      this.deps.retry.run(
        () => this.attempt(method, work),
        shouldRetry,
        (event) =>
          this.deps.onEvent?.({
            kind: "retry",
            store: "firestore",
            method,
            ...event,
            ...(gameDate !== undefined && { gameDate }),
          }),
      ),
    );
  }

  // One attempt: bounded by the deadline, and its error always typed.
  private async attempt<T>(method: StateStoreMethod, work: () => Promise<T>): Promise<T> {
    const timeoutMs = this.deps.callTimeoutMs;
    try {
      return await withDeadline(work(), timeoutMs, this.timers, () => {
        return new TransientDependencyError(
          "firestore",
          `Firestore ${method} gave no answer within ${timeoutMs} ms`,
          { code: FIRESTORE_TIMEOUT_CODE },
        );
      });
    } catch (error) {
      throw classifyFirestoreError(error);
    }
  }
}
