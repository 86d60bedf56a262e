import type { CompletionRow, StatusRow } from "../../src/backup/backup_store";
import { completionRowId } from "../../src/backup/row_id";

/** A completion row for tests; fields can be overridden. */
export function completionRow(overrides: Partial<CompletionRow> = {}): CompletionRow {
  const base = {
    phase: "phase3",
    transition: "phase3-to-phase4",
    gameDate: "2026-01-27",
    reportedName: "PlayerGameSummaryProcessor",
    messageId: "msg-1",
    ...overrides,
  };
  return {
    rowId: completionRowId(base),
    processor: "player_game_summary",
    known: true,
    status: "success",
    recordCount: 412,
    correlationId: "corr-1",
    executionId: null,
    completedAt: "2026-01-28T05:10:00.000Z",
    receivedAt: "2026-01-28T05:10:02.500Z",
    metadataJson: '{"is_incremental":false}',
    ...base,
    ...overrides,
  };
}

/** A status row for tests. */
export function statusRow(overrides: Partial<StatusRow> = {}): StatusRow {
  return {
    phase: "phase3",
    transition: "phase3-to-phase4",
    gameDate: "2026-01-27",
    expected: ["player_game_summary", "team_defense_game_summary"],
    completed: ["player_game_summary"],
    missing: ["team_defense_game_summary"],
    failed: [],
    unknown: [],
    triggered: false,
    triggerReason: null,
    mode: "overnight",
    triggeredAt: null,
    idempotencyKey: null,
    updatedAt: "2026-01-28T05:10:03.000Z",
    ...overrides,
  };
}
