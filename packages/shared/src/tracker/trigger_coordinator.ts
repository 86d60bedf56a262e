import { randomUUID } from "node:crypto";
import type { Clock } from "../clock";
import type { TriggerHooks } from "../coordinator/trigger_hooks";
import type { OrchestratorConfig } from "../config/load_config";
import { describeError, TransientDependencyError } from "../errors";
import { type GateReport, noGates } from "../gates/readiness_gate";
import type { TriggerPublisher } from "../publish/trigger_publisher";
import { evaluateRule, type RuleDecision } from "../rules/evaluate_rule";
import type { StateStore } from "../state/state_store";
import type { PhaseSnapshot, TriggerRecord } from "../state/phase_state";
import { buildTriggerRecord, correlationIdOf } from "./build_trigger";
import type { Failpoints } from "./failpoints";

/** What evaluating a date led to. */
export type TriggerAction =
  /** The rule is not met yet. */
  | "waiting"
  /** This call claimed the trigger and published it. */
  | "triggered"
  /** A trigger was already published earlier. */
  | "already_triggered"
  /** This call published a trigger that an earlier call claimed but never published. */
  | "published_pending"
  /** Another live caller holds the right to publish; its message guarantees progress. */
  | "publish_in_progress"
  /** The rule is met but a blocking readiness gate is not; nothing was claimed. */
  | "gate_blocked";

/** Result of one evaluation of a date. */
export interface TriggerOutcome {
  action: TriggerAction;
  snapshot: PhaseSnapshot;
  decision?: RuleDecision;
  trigger?: TriggerRecord;
  /** Set when publishing worked but recording that it did failed (the sweep repairs it). */
  markError?: unknown;
  /** Readiness gates checked before the claim, when any are configured. */
  gate?: GateReport;
}

/**
 * Decides, atomically, whether the next phase starts for a date, and makes sure a decided
 * trigger is published even if the process that decided died before publishing.
 */
export class TriggerCoordinator {
  constructor(
    private readonly config: OrchestratorConfig,
    private readonly state: StateStore,
    private readonly publisher: TriggerPublisher,
    private readonly clock: Clock,
    private readonly failpoints: Failpoints = {},
    private readonly newId: () => string = randomUUID,
    private readonly hooks: TriggerHooks = {},
  ) {}

  /**
   * Reads the date, and triggers when the rule says so. `holder` is unique to this attempt
   * (one delivery of a message, one sweep run); `messageId` names the Pub/Sub message a
   * delivery carries, so that a second delivery of it, running at the same time on another
   * instance, waits for the first instead of publishing too.
   */
  async evaluate(gameDate: string, holder: string, messageId?: string): Promise<TriggerOutcome> {
    const snapshot = await this.state.readSnapshot(gameDate);
    if (snapshot.trigger) {
      return this.ensurePublished(snapshot, snapshot.trigger, holder, messageId);
    }
    const now = this.clock.now();
    const decision = evaluateRule(snapshot, this.config.expectedProcessors, this.config.rule, now);
    if (!decision.due || decision.reason === undefined) {
      return { action: "waiting", snapshot, decision };
    }
    const record = buildTriggerRecord({
      config: this.config,
      snapshot,
      decision: { ...decision, reason: decision.reason },
      holder,
      ...(messageId !== undefined && { messageId }),
      now,
      correlationId: correlationIdOf(snapshot, this.newId),
    });
    const gate = await (this.hooks.gate ?? noGates).check(gameDate);
    if (gate.blocked) return { action: "gate_blocked", snapshot, decision, gate };
    const claim = await this.state.claimTrigger(gameDate, record);
    if (!claim.claimed) {
      return this.ensurePublished(snapshot, claim.existing, holder, messageId, decision);
    }
    const published = await this.publishHeld(record, holder);
    return { action: "triggered", snapshot, decision, ...published, gate };
  }

  /** Publishes a claimed trigger that is not yet published, if this caller may. */
  private async ensurePublished(
    snapshot: PhaseSnapshot,
    existing: TriggerRecord,
    holder: string,
    messageId: string | undefined,
    decision?: RuleDecision,
  ): Promise<TriggerOutcome> {
    const base = { snapshot, ...(decision !== undefined && { decision }) };
    if (existing.published) return { ...base, action: "already_triggered", trigger: existing };
    const lease = await this.state.takePublishLease(
      snapshot.gameDate,
      holder,
      this.clock.now(),
      this.config.publishLeaseMs,
      messageId,
    );
    if (lease.kind === "missing") {
      throw new TransientDependencyError("firestore", "trigger vanished while publishing");
    }
    if (lease.kind === "published") {
      return { ...base, action: "already_triggered", trigger: lease.record };
    }
    if (lease.kind === "held") {
      if (messageId !== undefined && lease.record.leaseMessageId === messageId) {
        // Another delivery of this very message is publishing. Acknowledging here would
        // leave only that attempt to finish the work; if it died, nothing would. Retry later.
        throw new TransientDependencyError(
          "pubsub",
          `another delivery of message ${messageId} holds the ${this.config.targetPhase} publish`,
          { code: "trigger_publish_in_flight" },
        );
      }
      return { ...base, action: "publish_in_progress", trigger: lease.record };
    }
    const published = await this.publishHeld(lease.record, holder);
    return { ...base, action: "published_pending", ...published };
  }

  /** Publishes while holding the lease; a failed publish gives the lease up and is retryable. */
  private async publishHeld(
    record: TriggerRecord,
    holder: string,
  ): Promise<{ trigger: TriggerRecord; markError?: unknown }> {
    const gameDate = record.payload.game_date;
    await this.failpoints.afterClaimBeforePublish?.();
    let messageId: string;
    try {
      messageId = await this.publisher.publish(this.config.triggerTopic, record.payload);
    } catch (error) {
      await this.state.releasePublishLease(gameDate, holder, this.clock.now()).catch(() => {
        // The lease also expires on its own; a failed release only delays the retry.
      });
      throw new TransientDependencyError(
        "pubsub",
        `publishing the ${this.config.targetPhase} trigger for ${gameDate} failed: ${describeError(error)}`,
        { cause: error, code: "trigger_publish_failed" },
      );
    }
    await this.failpoints.afterPublishBeforeMark?.();
    const publishedAt = this.clock.now();
    const trigger: TriggerRecord = {
      ...record,
      published: true,
      publishedAt: publishedAt.toISOString(),
      publishMessageId: messageId,
    };
    const marked = await this.state
      .markPublished(gameDate, record.generation, messageId, publishedAt)
      .then(() => ({ trigger }))
      // The next phase has started; the record stays "unpublished" and a later call may
      // publish again with the same idempotency key, which downstream drops.
      .catch((markError: unknown) => ({ trigger, markError }));
    // Never lets a follow-up failure turn a published trigger into a retried one.
    await this.hooks.afterTrigger?.afterPublish(trigger).catch(() => {});
    return marked;
  }
}
