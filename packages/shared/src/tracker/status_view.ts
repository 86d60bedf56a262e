import type { CompletionRow, StatusRow } from "../backup/backup_store";
import type { OrchestratorConfig } from "../config/load_config";
import { evaluateRule } from "../rules/evaluate_rule";
import type { PhaseSnapshot } from "../state/phase_state";
import type { TriggerOutcome } from "./trigger_coordinator";

/** One processor as `/status` shows it. */
export interface ProcessorStatusView {
  processor: string;
  status: string;
  completedAt: string | null;
  lastSeenAt: string;
  deliveries: number;
  reportedNames: string[];
  /** Counted only after the phase had triggered. */
  late: boolean;
}

/** The state of one transition for one date, as `GET /status` answers it. */
export interface StatusView {
  transition: string;
  phase: string;
  gameDate: string;
  /** Which store answered: the primary, or the backup while the primary is unavailable. */
  source: "firestore" | "bigquery" | "duckdb" | string;
  /** True when the answer comes from the backup and may lag the primary. */
  degraded: boolean;
  mode: string | null;
  expected: string[];
  completed: ProcessorStatusView[];
  missing: string[];
  failed: string[];
  unknown: ProcessorStatusView[];
  triggered: boolean;
  published: boolean;
  triggeredAt: string | null;
  reason: string | null;
  idempotencyKey: string | null;
  /** When a time tier or deadline may next change the answer. */
  nextCheckAt: string | null;
}

/** Builds the status view of a date from the primary store. */
export function statusFromSnapshot(
  config: OrchestratorConfig,
  snapshot: PhaseSnapshot,
  now: Date,
): StatusView {
  const decision = evaluateRule(snapshot, config.expectedProcessors, config.rule, now);
  const trigger = snapshot.trigger;
  const inTrigger = new Set(trigger?.payload.completed_processors ?? []);
  const view = (name: string): ProcessorStatusView | undefined => {
    const p = snapshot.processors.find((x) => x.processor === name);
    if (!p) return undefined;
    return {
      processor: p.processor,
      status: p.countedStatus ?? p.lastStatus,
      completedAt: p.completedAt ?? null,
      lastSeenAt: p.lastSeenAt,
      deliveries: p.deliveries,
      reportedNames: p.reportedNames,
      late: trigger !== undefined && p.known && p.counted && !inTrigger.has(p.processor),
    };
  };
  const defined = <T>(x: T | undefined): x is T => x !== undefined;
  return {
    transition: config.name,
    phase: config.sourcePhase,
    gameDate: snapshot.gameDate,
    source: "firestore",
    degraded: false,
    mode: trigger?.mode ?? decision.mode,
    expected: [...config.expectedProcessors],
    completed: decision.completed.map(view).filter(defined),
    missing: decision.missing,
    failed: decision.failed,
    unknown: decision.unknown.map(view).filter(defined),
    triggered: trigger !== undefined,
    published: trigger?.published ?? false,
    triggeredAt: trigger?.claimedAt ?? null,
    reason: trigger?.reason ?? null,
    idempotencyKey: trigger?.idempotencyKey ?? null,
    nextCheckAt: trigger ? null : (decision.nextCheckAt ?? null),
  };
}

/**
 * Builds the status view from the backup alone, for when the primary is unavailable:
 * completions from the history rows, the trigger from the last status row written.
 */
export function statusFromBackup(
  config: OrchestratorConfig,
  gameDate: string,
  rows: CompletionRow[],
  status: StatusRow | null,
  source: string,
): StatusView {
  const counted = rows.filter((r) => r.status === "success" || r.status === "partial");
  const first = (name: string) => counted.find((r) => r.processor === name);
  const completed = config.expectedProcessors.filter((n) => first(n) !== undefined);
  const missing = config.expectedProcessors.filter((n) => first(n) === undefined);
  const failed = missing.filter((n) =>
    rows.some((r) => r.processor === n && r.status === "failed"),
  );
  const unknownNames = [...new Set(rows.filter((r) => !r.known).map((r) => r.processor))];
  const asView = (r: CompletionRow): ProcessorStatusView => ({
    processor: r.processor,
    status: r.status,
    completedAt: r.receivedAt,
    lastSeenAt: r.receivedAt,
    deliveries: rows.filter((x) => x.processor === r.processor).length,
    reportedNames: [
      ...new Set(rows.filter((x) => x.processor === r.processor).map((x) => x.reportedName)),
    ],
    late: status?.triggered === true && !status.completed.includes(r.processor),
  });
  return {
    transition: config.name,
    phase: config.sourcePhase,
    gameDate,
    source,
    degraded: true,
    mode: status?.mode ?? null,
    expected: [...config.expectedProcessors],
    completed: completed.map((n) => asView(first(n) as CompletionRow)),
    missing,
    failed,
    unknown: unknownNames.map((n) => asView(rows.find((r) => r.processor === n) as CompletionRow)),
    triggered: status?.triggered ?? false,
    published: status?.triggered ?? false,
    triggeredAt: status?.triggeredAt ?? null,
    reason: status?.triggerReason ?? null,
    idempotencyKey: status?.idempotencyKey ?? null,
    nextCheckAt: null,
  };
}

/** The backup's status row after an evaluation. */
export function statusRowFrom(
  config: OrchestratorConfig,
  outcome: TriggerOutcome,
  now: Date,
): StatusRow {
  const view = statusFromSnapshot(config, outcome.snapshot, now);
  const trigger = outcome.trigger ?? outcome.snapshot.trigger;
  return {
    phase: config.sourcePhase,
    transition: config.name,
    gameDate: outcome.snapshot.gameDate,
    expected: view.expected,
    completed: view.completed.map((p) => p.processor),
    missing: view.missing,
    failed: view.failed,
    unknown: view.unknown.map((p) => p.processor),
    triggered: trigger !== undefined,
    triggerReason: trigger?.reason ?? null,
    mode: trigger?.mode ?? view.mode,
    triggeredAt: trigger?.claimedAt ?? null,
    idempotencyKey: trigger?.idempotencyKey ?? null,
    updatedAt: now.toISOString(),
  };
}
