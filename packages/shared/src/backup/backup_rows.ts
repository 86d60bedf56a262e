import { PermanentDependencyError } from "../errors";
import type { CompletionStatus } from "../state/phase_state";
import type { CompletionRow, StatusRow } from "./backup_store";

/**
 * Conversion between the store interface (camelCase rows) and table columns (snake_case),
 * shared by the BigQuery and DuckDB stores so that both use the same names and rules.
 */

/** Column values of one `phase_completions` row, timestamps as UTC ISO text. */
export type CompletionRecord = Record<string, string | number | boolean | null>;

const COMPLETION_STATUSES: readonly CompletionStatus[] = [
  "success",
  "partial",
  "failed",
  "skipped",
];

/** Rewrites any ISO 8601 time as UTC with milliseconds, so offsets never reach SQL. */
export function toUtcIso(value: string, dependency: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new PermanentDependencyError(dependency, `not an ISO 8601 time: ${value.slice(0, 40)}`, {
      code: `${dependency}_rejected`,
    });
  }
  return new Date(ms).toISOString();
}

/** Column values of a completion row, ready to bind as parameters. */
export function completionToRecord(row: CompletionRow, dependency: string): CompletionRecord {
  return {
    row_id: row.rowId,
    phase: row.phase,
    transition: row.transition,
    game_date: row.gameDate,
    processor: row.processor,
    reported_name: row.reportedName,
    known: row.known,
    status: row.status,
    record_count: row.recordCount,
    correlation_id: row.correlationId,
    execution_id: row.executionId,
    message_id: row.messageId,
    completed_at: row.completedAt === null ? null : toUtcIso(row.completedAt, dependency),
    received_at: toUtcIso(row.receivedAt, dependency),
    metadata_json: row.metadataJson,
  };
}

/** Column values of a status row, ready to bind as parameters. */
export function statusToRecord(
  row: StatusRow,
  dependency: string,
): Record<string, string | boolean | string[] | null> {
  return {
    phase: row.phase,
    transition: row.transition,
    game_date: row.gameDate,
    expected: row.expected,
    completed: row.completed,
    missing: row.missing,
    failed: row.failed,
    unknown: row.unknown,
    triggered: row.triggered,
    trigger_reason: row.triggerReason,
    mode: row.mode,
    triggered_at: row.triggeredAt === null ? null : toUtcIso(row.triggeredAt, dependency),
    idempotency_key: row.idempotencyKey,
    updated_at: toUtcIso(row.updatedAt, dependency),
  };
}

/** A completion row from the columns a store read back (SQL formats dates and times). */
export function completionFromRecord(
  record: Record<string, unknown>,
  dependency: string,
): CompletionRow {
  const status = text(record.status);
  if (!COMPLETION_STATUSES.includes(status as CompletionStatus)) {
    throw new PermanentDependencyError(dependency, `unexpected status in backup row: ${status}`);
  }
  return {
    rowId: text(record.row_id),
    phase: text(record.phase),
    transition: text(record.transition),
    gameDate: text(record.game_date),
    processor: text(record.processor),
    reportedName: text(record.reported_name),
    known: record.known === true,
    status: status as CompletionStatus,
    recordCount: Number(unwrap(record.record_count) ?? 0),
    correlationId: optionalText(record.correlation_id),
    executionId: optionalText(record.execution_id),
    messageId: text(record.message_id),
    completedAt: optionalText(record.completed_at),
    receivedAt: text(record.received_at),
    metadataJson: optionalText(record.metadata_json),
  };
}

/** A status row from the columns a store read back. */
export function statusFromRecord(record: Record<string, unknown>): StatusRow {
  return {
    phase: text(record.phase),
    transition: text(record.transition),
    gameDate: text(record.game_date),
    expected: texts(record.expected),
    completed: texts(record.completed),
    missing: texts(record.missing),
    failed: texts(record.failed),
    unknown: texts(record.unknown),
    triggered: record.triggered === true,
    triggerReason: optionalText(record.trigger_reason),
    mode: optionalText(record.mode),
    triggeredAt: optionalText(record.triggered_at),
    idempotencyKey: optionalText(record.idempotency_key),
    updatedAt: text(record.updated_at),
  };
}

// The BigQuery client returns DATE and TIMESTAMP cells as objects with a `value`; the SQL
// formats them as text, but unwrapping keeps the mapping correct if a query forgets to.
function unwrap(value: unknown): unknown {
  if (typeof value === "object" && value !== null && "value" in value) {
    return (value as { value: unknown }).value;
  }
  return value;
}

function text(value: unknown): string {
  const inner = unwrap(value);
  return inner === null || inner === undefined ? "" : String(inner);
}

function optionalText(value: unknown): string | null {
  const inner = unwrap(value);
  return inner === null || inner === undefined ? null : String(inner);
}

function texts(value: unknown): string[] {
  return Array.isArray(value) ? value.map((item) => text(item)) : [];
}
