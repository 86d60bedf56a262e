import type { CompletionStatus } from "../state/phase_state";

/** One completion as written to the backup and history (`phase_completions`). */
export interface CompletionRow {
  /** Deterministic id: a retried write of the same delivery lands once. */
  rowId: string;
  /** Source phase, e.g. `phase3`. */
  phase: string;
  /** Orchestrator that recorded it, e.g. `phase3-to-phase4`. */
  transition: string;
  gameDate: string;
  /** Canonical name, or the reported name for an unknown processor. */
  processor: string;
  reportedName: string;
  known: boolean;
  status: CompletionStatus;
  recordCount: number;
  correlationId: string | null;
  executionId: string | null;
  messageId: string;
  /** ISO time the processor says it finished, if it said. */
  completedAt: string | null;
  /** ISO time the orchestrator received it. */
  receivedAt: string;
  /** JSON text of the message metadata. */
  metadataJson: string | null;
}

/** One row per phase and date (`phase_completion_status`), upserted after each evaluation. */
export interface StatusRow {
  phase: string;
  transition: string;
  gameDate: string;
  expected: string[];
  completed: string[];
  missing: string[];
  failed: string[];
  unknown: string[];
  triggered: boolean;
  triggerReason: string | null;
  mode: string | null;
  triggeredAt: string | null;
  idempotencyKey: string | null;
  updatedAt: string;
}

/**
 * The backup and history store: BigQuery in production, an embedded DuckDB file locally.
 * Writes are idempotent (retrying one never duplicates a row); errors are typed
 * (`TransientDependencyError` / `PermanentDependencyError` from `../errors`).
 */
export interface BackupStore {
  /** Short name for logs and `/status` (`bigquery`, `duckdb`). */
  readonly kind: string;
  /** Writes one completion; a second write with the same `rowId` changes nothing. */
  recordCompletion(row: CompletionRow): Promise<void>;
  /** Inserts or replaces the status row of (`phase`, `gameDate`). */
  upsertStatus(row: StatusRow): Promise<void>;
  /** Every completion row of one phase and date, oldest first. */
  listCompletions(phase: string, gameDate: string): Promise<CompletionRow[]>;
  /** The status row of one phase and date, or null. */
  readStatus(phase: string, gameDate: string): Promise<StatusRow | null>;
  /** Completion rows of one phase received in [fromIso, toIso), to reconcile after an outage. */
  listCompletionsReceivedBetween(
    phase: string,
    fromIso: string,
    toIso: string,
  ): Promise<CompletionRow[]>;
  /** A trivial round trip, for readiness checks. */
  ping(): Promise<void>;
  /** Releases connections; safe to call twice. */
  close(): Promise<void>;
}
