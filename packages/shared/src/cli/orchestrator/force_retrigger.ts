import { randomUUID } from "node:crypto";
import { describeError, TransientDependencyError } from "../../errors";
import type { Orchestrator } from "../../http/orchestrator_app";
import type { TriggerPublisher } from "../../publish/trigger_publisher";
import { evaluateRule } from "../../rules/evaluate_rule";
import type { TriggerRecord } from "../../state/phase_state";
import { buildTriggerRecord, correlationIdOf } from "../../tracker/build_trigger";
import type { TriggerOutcome } from "../../tracker/trigger_coordinator";

/** `trigger_reason` of a trigger an operator forced. */
export const FORCED_REASON = "forced_retrigger";

/** What a retrigger request led to. */
export type RetriggerResult =
  /** Already triggered and not forced: nothing changed. */
  | { kind: "refused"; existing: TriggerRecord }
  /** Not triggered yet and not forced: the normal rule decided (it may still be waiting). */
  | { kind: "evaluated"; outcome: TriggerOutcome }
  /** A new generation was recorded and published. */
  | { kind: "forced"; previous: TriggerRecord | undefined; trigger: TriggerRecord };

/** Who asks, and why; both are stored in the trigger record. */
export interface RetriggerRequest {
  gameDate: string;
  force: boolean;
  by: string;
  reason: string;
}

/**
 * Retriggers the next phase for a date. Forced, it records a new generation (so a new
 * idempotency key that downstream does not drop) with who and why, then publishes it.
 * Unforced, it refuses a date that already triggered and otherwise asks the rule, exactly as
 * a message would.
 */
export async function retrigger(
  orchestrator: Orchestrator,
  publisher: TriggerPublisher,
  request: RetriggerRequest,
  newId: () => string = randomUUID,
): Promise<RetriggerResult> {
  const { config, state, clock, coordinator } = orchestrator;
  const { gameDate } = request;
  const holder = `cli:${request.by}:${newId()}`;
  const snapshot = await state.readSnapshot(gameDate);
  if (!request.force) {
    if (snapshot.trigger) return { kind: "refused", existing: snapshot.trigger };
    return { kind: "evaluated", outcome: await coordinator.evaluate(gameDate, holder) };
  }
  const now = clock.now();
  const decision = evaluateRule(snapshot, config.expectedProcessors, config.rule, now);
  const previousGeneration = snapshot.trigger?.generation ?? 0;
  const record: TriggerRecord = {
    ...buildTriggerRecord({
      config,
      snapshot,
      decision: { ...decision, reason: FORCED_REASON },
      holder,
      now,
      generation: previousGeneration + 1,
      correlationId: snapshot.trigger?.payload.correlation_id ?? correlationIdOf(snapshot, newId),
    }),
    forcedBy: request.by,
    forcedReason: request.reason,
  };
  const previous = await state.replaceTrigger(gameDate, record);
  let messageId: string;
  try {
    messageId = await publisher.publish(config.triggerTopic, record.payload);
  } catch (error) {
    // The record stays unpublished with our lease; once the lease ends, the sweep or the
    // next message for the date publishes it (TriggerCoordinator.ensurePublished).
    throw new TransientDependencyError(
      "pubsub",
      `generation ${record.generation} recorded but not published: ${describeError(error)}`,
      { cause: error, code: "trigger_publish_failed" },
    );
  }
  const publishedAt = clock.now();
  await state.markPublished(gameDate, record.generation, messageId, publishedAt);
  return {
    kind: "forced",
    previous,
    trigger: {
      ...record,
      published: true,
      publishedAt: publishedAt.toISOString(),
      publishMessageId: messageId,
    },
  };
}
