import { randomUUID } from "node:crypto";
import { describeError } from "../../errors";
import type { Orchestrator } from "../../http/orchestrator_app";
import { evaluateRule } from "../../rules/evaluate_rule";

/** What replaying one date did (or, in a dry run, would do). */
export interface ReplayRow {
  gameDate: string;
  /** A `TriggerAction`, `would_trigger` / `would_publish_pending` in a dry run, or `error`. */
  action: string;
  reason: string | null;
  completed: number;
  expected: number;
  missing: string[];
  error?: string;
}

/**
 * Re-evaluates each date in order with the orchestrator's own coordinator, so a date that
 * is due but never triggered triggers once (and a claimed but unpublished one is published);
 * a triggered date is left alone. `dryRun` only reads.
 */
export async function replayDates(
  orchestrator: Orchestrator,
  dates: readonly string[],
  options: { dryRun: boolean; onDone?: (done: number, total: number, row: ReplayRow) => void },
): Promise<ReplayRow[]> {
  const { config, state, clock, coordinator } = orchestrator;
  const runId = `replay:${randomUUID()}`;
  const rows: ReplayRow[] = [];
  for (const gameDate of dates) {
    let row: ReplayRow;
    try {
      if (options.dryRun) {
        const snapshot = await state.readSnapshot(gameDate);
        const decision = evaluateRule(
          snapshot,
          config.expectedProcessors,
          config.rule,
          clock.now(),
        );
        const trigger = snapshot.trigger;
        const action = trigger
          ? trigger.published
            ? "already_triggered"
            : "would_publish_pending"
          : decision.due
            ? "would_trigger"
            : "waiting";
        row = rowOf(gameDate, action, trigger?.reason ?? decision.reason, decision, config);
      } else {
        const outcome = await coordinator.evaluate(gameDate, runId);
        const reason = outcome.trigger?.reason ?? outcome.decision?.reason;
        row = rowOf(gameDate, outcome.action, reason, outcome.decision, config);
      }
    } catch (error) {
      row = {
        ...rowOf(gameDate, "error", undefined, undefined, config),
        error: describeError(error),
      };
    }
    rows.push(row);
    options.onDone?.(rows.length, dates.length, row);
  }
  return rows;
}

function rowOf(
  gameDate: string,
  action: string,
  reason: string | undefined,
  decision: { completed: string[]; missing: string[] } | undefined,
  config: { expectedProcessors: string[] },
): ReplayRow {
  return {
    gameDate,
    action,
    reason: reason ?? null,
    completed: decision?.completed.length ?? 0,
    expected: config.expectedProcessors.length,
    missing: decision?.missing ?? [],
  };
}
