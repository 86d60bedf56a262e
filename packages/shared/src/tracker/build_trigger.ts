import type { OrchestratorConfig } from "../config/load_config";
import { idempotencyKey, type TriggerMessage } from "../messages/trigger_message";
import type { RuleDecision } from "../rules/evaluate_rule";
import type { PhaseSnapshot, TriggerRecord } from "../state/phase_state";

/** The trigger record a caller proposes to claim, with the exact message it will publish. */
export function buildTriggerRecord(args: {
  config: OrchestratorConfig;
  snapshot: PhaseSnapshot;
  decision: RuleDecision & { reason: string };
  holder: string;
  /** Pub/Sub message id of the deciding delivery, when a delivery decides. */
  messageId?: string;
  now: Date;
  generation?: number;
  correlationId: string;
}): TriggerRecord {
  const { config, snapshot, decision, holder, now } = args;
  const generation = args.generation ?? 1;
  const key = idempotencyKey(config.name, snapshot.gameDate, generation);
  const payload: TriggerMessage = {
    game_date: snapshot.gameDate,
    correlation_id: args.correlationId,
    idempotency_key: key,
    trigger_reason: decision.reason,
    mode: decision.mode,
    completed_processors: decision.completed,
    missing_processors: decision.missing,
    expected_processors: [...config.expectedProcessors],
    failed_processors: decision.failed,
    unknown_processors: decision.unknown,
    triggered_by: config.name,
    source_phase: config.sourcePhase,
    target_phase: config.targetPhase,
    timestamp: now.toISOString(),
    generation,
    ...mergedEntities(snapshot, decision.completed),
  };
  return {
    idempotencyKey: key,
    generation,
    reason: decision.reason,
    mode: decision.mode,
    claimedAt: now.toISOString(),
    claimedByMessageId: args.messageId ?? holder,
    leaseHolder: holder,
    ...(args.messageId !== undefined && { leaseMessageId: args.messageId }),
    leaseExpiresAt: new Date(now.getTime() + config.publishLeaseMs).toISOString(),
    published: false,
    payload,
  };
}

/**
 * Entity hints merged over the completed processors of the date: incremental only if every
 * processor that said anything said incremental; the union of the changed entities.
 */
export function mergedEntities(
  snapshot: PhaseSnapshot,
  completed: readonly string[],
): Pick<TriggerMessage, "is_incremental" | "entities_changed"> {
  const done = snapshot.processors.filter((p) => completed.includes(p.processor));
  const flags = done.map((p) => p.isIncremental).filter((f): f is boolean => f !== undefined);
  const entities = new Set(done.flatMap((p) => p.entitiesChanged ?? []));
  return {
    ...(flags.length > 0 && { is_incremental: flags.every(Boolean) }),
    ...(entities.size > 0 && { entities_changed: [...entities].sort() }),
  };
}

/** The correlation id of a date: the first one a processor reported, else a new one. */
export function correlationIdOf(snapshot: PhaseSnapshot, fallback: () => string): string {
  const reported = snapshot.processors
    .filter((p) => p.correlationId !== undefined)
    .sort((a, b) => a.firstSeenAt.localeCompare(b.firstSeenAt))[0]?.correlationId;
  return reported ?? fallback();
}
