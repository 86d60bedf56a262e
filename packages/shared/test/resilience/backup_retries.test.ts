import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BigQueryBackupStore } from "../../src/backup/bigquery_backup_store";
import { createBigQueryClient } from "../../src/backup/bigquery_client";
import type { BackupStore } from "../../src/backup/backup_store";
import { ResilientBackupStore } from "../../src/resilience/resilient_backup_store";
import type { RetryEvent } from "../../src/resilience/retry_policy";
import { RetryRunner } from "../../src/resilience/retry_policy";
import { BigQueryStandIn } from "../../src/testing/bigquery_stand_in";
import { describeWithEmulators } from "../../src/testing/emulator_suite";
import { orchestratorFixture } from "../support/orchestrator_fixture";

const ROW = {
  rowId: "r-1",
  phase: "phase3",
  transition: "phase3-to-phase4",
  gameDate: "2026-01-27",
  processor: "player_game_summary",
  reportedName: "player_game_summary",
  known: true,
  status: "success" as const,
  recordCount: 10,
  correlationId: null,
  executionId: null,
  messageId: "m-1",
  completedAt: null,
  receivedAt: "2026-01-28T12:00:00.000Z",
  metadataJson: null,
};

let standIn: BigQueryStandIn;
beforeAll(async () => {
  standIn = await BigQueryStandIn.start();
});
afterAll(async () => standIn.close());
beforeEach(() => standIn.reset());

function bigQueryStore(): BackupStore {
  const bigquery = createBigQueryClient({ projectId: "stand-in", apiEndpoint: standIn.url });
  return new BigQueryBackupStore({
    bigquery,
    dataset: "nba_orchestration",
    completionsTable: "phase_completions",
    statusTable: "phase_completion_status",
  });
}

// random = 0: every jittered delay is 0 ms, so nothing waits and nothing depends on time.
const runner = () => new RetryRunner({ maxAttempts: 3, baseMs: 1000, capMs: 10_000 }, () => 0);
const merges = () => standIn.queries().filter((q) => /^\s*MERGE/i.test(q.sql)).length;

describe("backup writes through the BigQuery stand-in", () => {
  for (const failure of ["server_error", "rate_limited", "dml_conflict"] as const) {
    it(`retries a ${failure} answer within the budget and lands the row`, async () => {
      standIn.failNext(2, failure);
      const retries: RetryEvent[] = [];
      const store = new ResilientBackupStore(bigQueryStore(), runner(), (e) => {
        if (e.kind === "retry") retries.push(e);
      });
      await store.recordCompletion(ROW);
      expect(merges()).toBe(3);
      expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
    });
  }

  it("gives up after maxAttempts when the failure persists", async () => {
    standIn.failNext(5, "unavailable");
    const store = new ResilientBackupStore(bigQueryStore(), runner());
    await expect(store.recordCompletion(ROW)).rejects.toMatchObject({ retryable: true });
    expect(merges()).toBe(3);
  });

  it("does not retry a 400", async () => {
    standIn.failNext(1, "invalid_query");
    const store = new ResilientBackupStore(bigQueryStore(), runner());
    await expect(store.recordCompletion(ROW)).rejects.toMatchObject({
      retryable: false,
      code: "bigquery_rejected",
    });
    expect(merges()).toBe(1);
  });
});

describeWithEmulators("backup failures seen by the delivery path", () => {
  it("logs a 400 from the backup once, keeps the primary write and acknowledges", async () => {
    standIn.failNext(1, "invalid_query", (r) => JSON.stringify(r.body).includes("MERGE"));
    const fx = await orchestratorFixture("phase3-to-phase4", {
      overrides: { backup: bigQueryStore(), resilience: { env: {}, random: () => 0 } },
    });
    try {
      const reply = await fx.send({
        processor_name: "player_game_summary",
        game_date: "2026-01-27",
      });
      expect(reply.status).toBe(200);
      const events = fx.logs().map((l) => l.event);
      expect(events.filter((e) => e === "backup_write_failed")).toHaveLength(1);
      expect(events).not.toContain("store_retry");
    } finally {
      await fx.close();
    }
  });

  it("answers 503 with a CRITICAL line when both stores fail, and succeeds on redelivery", async () => {
    let primaryDown = true;
    const fx = await orchestratorFixture("phase3-to-phase4", {
      overrides: { backup: bigQueryStore(), resilience: { env: {}, random: () => 0 } },
    });
    try {
      const state = fx.orchestrator.state;
      const original = state.recordCompletion;
      // Breaks the primary by making its first attempts fail with PERMISSION_DENIED as the
      // client would report it (permanent: not retried), and the backup with a 400.
      (state as { recordCompletion: typeof original }).recordCompletion = async (input) => {
        if (primaryDown) throw Object.assign(new Error("7 PERMISSION_DENIED"), { code: 7 });
        return original(input);
      };
      standIn.failNext(1, "invalid_query");
      const payload = { processor_name: "player_game_summary", game_date: "2026-01-27" };
      const first = await fx.send(payload, "dual-1");
      expect(first.status).toBe(503);
      const critical = fx.logs().filter((l) => l.severity === "CRITICAL");
      expect(critical.map((l) => l.event)).toEqual(["dual_write_failed"]);
      primaryDown = false;
      const again = await fx.send(payload, "dual-1");
      expect(again.status).toBe(200);
      const snapshot = await state.readSnapshot("2026-01-27");
      expect(snapshot.processors[0]?.deliveries).toBe(1);
    } finally {
      await fx.close();
    }
  });
});
