import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { BigQueryBackupStore } from "../../src/backup/bigquery_backup_store";
import { createBigQueryClient } from "../../src/backup/bigquery_client";
import {
  ConfigurationError,
  PermanentDependencyError,
  TransientDependencyError,
} from "../../src/errors";
import { BigQueryStandIn } from "../../src/testing/bigquery_stand_in";
import { completionRow, statusRow } from "./fixtures";

const TABLES = {
  dataset: "nba_orchestration",
  completionsTable: "phase_completions",
  statusTable: "phase_completion_status",
};
const HOSTILE_NAME = "x'; DROP TABLE phase_completions; --";

describe("BigQueryBackupStore against the loopback stand-in", () => {
  let standIn: BigQueryStandIn;
  let store: BigQueryBackupStore;

  beforeAll(async () => {
    standIn = await BigQueryStandIn.start();
    const bigquery = createBigQueryClient({
      projectId: "orchestrator-local",
      apiEndpoint: standIn.url,
    });
    store = new BigQueryBackupStore({ bigquery, ...TABLES, location: "US" });
  });
  afterEach(() => standIn.reset());
  afterAll(() => standIn.close());

  it("writes a completion as one MERGE keyed on row_id within its game-date partition", async () => {
    const row = completionRow();
    await store.recordCompletion(row);

    const [sent, ...rest] = standIn.queries();
    expect(rest).toHaveLength(0);
    expect(standIn.requests[0]?.path).toBe("/bigquery/v2/projects/orchestrator-local/queries");
    expect(sent?.sql).toMatch(/^MERGE `nba_orchestration\.phase_completions` AS target/);
    expect(sent?.sql).toContain(
      "ON target.game_date = @game_date AND target.row_id = source.row_id",
    );
    expect(sent?.sql).toContain("WHEN NOT MATCHED THEN INSERT");
    expect(sent?.sql).not.toContain("WHEN MATCHED");
    expect(sent?.location).toBe("US");
    expect(sent?.params).toMatchObject({
      row_id: { type: "STRING", value: row.rowId },
      game_date: { type: "DATE", value: "2026-01-27" },
      known: { type: "BOOL", value: true },
      record_count: { type: "INT64", value: 412 },
      execution_id: { type: "STRING", value: null },
      received_at: { type: "TIMESTAMP", value: "2026-01-28T05:10:02.500Z" },
    });
  });

  it("sends the same MERGE and row id when a write is retried", async () => {
    await store.recordCompletion(completionRow());
    await store.recordCompletion(completionRow());
    const [first, second] = standIn.queries();
    expect(second).toEqual(first);
  });

  it("carries a hostile processor name only as a query parameter", async () => {
    await store.recordCompletion(
      completionRow({ reportedName: HOSTILE_NAME, processor: HOSTILE_NAME }),
    );
    await store.listCompletions(HOSTILE_NAME, "2026-01-27");
    const sent = standIn.queries();
    expect(sent).toHaveLength(2);
    for (const query of sent) expect(query.sql).not.toContain("DROP TABLE");
    expect(sent[0]?.params.processor?.value).toBe(HOSTILE_NAME);
    expect(sent[0]?.params.reported_name?.value).toBe(HOSTILE_NAME);
    expect(sent[1]?.params.phase?.value).toBe(HOSTILE_NAME);
  });

  it("upserts the status row with a MERGE on phase and game date, arrays typed", async () => {
    await store.upsertStatus(
      statusRow({ failed: [], triggered: true, triggeredAt: "2026-01-28T06:00:00+01:00" }),
    );
    const [sent] = standIn.queries();
    expect(sent?.sql).toMatch(/^MERGE `nba_orchestration\.phase_completion_status` AS target/);
    expect(sent?.sql).toContain("ON target.game_date = @game_date AND target.phase = source.phase");
    expect(sent?.sql).toContain(
      "WHEN MATCHED AND (NOT target.triggered OR @triggered) THEN UPDATE SET\n  transition = @transition",
    );
    expect(sent?.params).toMatchObject({
      expected: {
        type: "ARRAY<STRING>",
        value: ["player_game_summary", "team_defense_game_summary"],
      },
      failed: { type: "ARRAY<STRING>", value: [] },
      triggered_at: { type: "TIMESTAMP", value: "2026-01-28T05:00:00.000Z" },
    });
  });

  it("maps rows read back to CompletionRow, in the order BigQuery returns them", async () => {
    const row = completionRow();
    standIn.queueRows([
      {
        row_id: row.rowId,
        phase: "phase3",
        transition: row.transition,
        game_date: "2026-01-27",
        processor: row.processor,
        reported_name: row.reportedName,
        known: true,
        status: "partial",
        record_count: 412,
        correlation_id: "corr-1",
        execution_id: null,
        message_id: "msg-1",
        completed_at: null,
        received_at: "2026-01-28T05:10:02.500Z",
        metadata_json: null,
      },
    ]);
    const rows = await store.listCompletions("phase3", "2026-01-27");
    expect(rows).toEqual([{ ...row, status: "partial", completedAt: null, metadataJson: null }]);
    const [sent] = standIn.queries();
    expect(sent?.sql).toContain("WHERE game_date = @game_date AND phase = @phase");
    expect(sent?.sql).toContain("ORDER BY received_at, row_id");
  });

  it("maps a status row read back, and answers null when there is none", async () => {
    const expected = statusRow({
      triggered: true,
      triggerReason: "all_complete",
      idempotencyKey: "k1",
    });
    standIn.queueRows([
      {
        phase: "phase3",
        transition: expected.transition,
        game_date: "2026-01-27",
        expected: expected.expected,
        completed: expected.completed,
        missing: expected.missing,
        failed: [],
        unknown: [],
        triggered: true,
        trigger_reason: "all_complete",
        mode: "overnight",
        triggered_at: null,
        idempotency_key: "k1",
        updated_at: expected.updatedAt,
      },
    ]);
    expect(await store.readStatus("phase3", "2026-01-27")).toEqual(expected);
    expect(await store.readStatus("phase3", "2026-01-28")).toBeNull();
  });

  it("asks for completions received in a window with TIMESTAMP parameters", async () => {
    await store.listCompletionsReceivedBetween(
      "phase3",
      "2026-01-28T00:00:00Z",
      "2026-01-28T06:00:00Z",
    );
    const [sent] = standIn.queries();
    expect(sent?.sql).toContain("received_at >= @from_time AND received_at < @to_time");
    expect(sent?.params.from_time).toEqual({
      type: "TIMESTAMP",
      value: "2026-01-28T00:00:00.000Z",
    });
  });

  it.each([
    ["server_error", "bigquery_unavailable"],
    ["unavailable", "bigquery_unavailable"],
    ["rate_limited", "bigquery_rate_limited"],
    ["dml_conflict", "bigquery_dml_conflict"],
    ["reset", "bigquery_unavailable"],
  ] as const)("turns a %s answer into a transient error (%s), sent once", async (kind, code) => {
    standIn.failNext(1, kind);
    const error = await store.recordCompletion(completionRow()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientDependencyError);
    expect(error).toMatchObject({ code, retryable: true });
    expect(standIn.requests).toHaveLength(1);
  });

  it.each([
    ["invalid_query", "bigquery_rejected"],
    ["access_denied", "bigquery_access_denied"],
    ["not_found", "bigquery_not_found"],
  ] as const)("turns a %s answer into a permanent error (%s)", async (kind, code) => {
    standIn.failNext(1, kind);
    const error = await store.upsertStatus(statusRow()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentDependencyError);
    expect(error).toMatchObject({ code, retryable: false });
  });

  it("gives up with a transient timeout when BigQuery does not answer", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const bigquery = createBigQueryClient({ projectId: "p", apiEndpoint: standIn.url });
      const slow = new BigQueryBackupStore({ bigquery, ...TABLES, callTimeoutMs: 5_000 });
      standIn.failNext(1, "hang");
      const pending = slow.ping().catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(await pending).toMatchObject({ code: "bigquery_timeout", retryable: true });
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses a table id that is not a plain identifier", () => {
    const bigquery = createBigQueryClient({ projectId: "p", apiEndpoint: standIn.url });
    expect(
      () => new BigQueryBackupStore({ bigquery, ...TABLES, completionsTable: "t` WHERE 1=1 --" }),
    ).toThrow(ConfigurationError);
    expect(() => new BigQueryBackupStore({ bigquery, ...TABLES, dataset: "a.b" })).toThrow(
      ConfigurationError,
    );
  });
});
