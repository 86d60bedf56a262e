import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BackupStore } from "../../src/backup/backup_store";
import { openDuckDbBackupStore } from "../../src/backup/duckdb_backup_store";
import { completionRow, statusRow } from "./fixtures";

describe("DuckDbBackupStore on a temporary file", () => {
  let directory: string;
  let file: string;
  const open: BackupStore[] = [];
  const openStore = async (path = file) => {
    const store = await openDuckDbBackupStore(path);
    open.push(store);
    return store;
  };

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "backup-store-"));
    file = join(directory, "backup.duckdb");
  });
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it("keeps one row when the same completion is written twice", async () => {
    const store = await openStore();
    await store.recordCompletion(completionRow());
    await store.recordCompletion(completionRow({ recordCount: 999 }));
    const rows = await store.listCompletions("phase3", "2026-01-27");
    expect(rows).toEqual([completionRow()]);
  });

  it("lists the completions of one phase and date oldest first, whatever the write order", async () => {
    const store = await openStore();
    const late = completionRow({ messageId: "m3", receivedAt: "2026-01-28T07:00:00.000Z" });
    const early = completionRow({ messageId: "m1", receivedAt: "2026-01-28T06:30:00+01:00" });
    const other = completionRow({ messageId: "m2", gameDate: "2026-01-26" });
    for (const row of [late, other, early]) await store.recordCompletion(row);
    const rows = await store.listCompletions("phase3", "2026-01-27");
    expect(rows.map((r) => r.messageId)).toEqual(["m1", "m3"]);
    expect(rows[0]?.receivedAt).toBe("2026-01-28T05:30:00.000Z");
  });

  it("lists completions received in [from, to) across game dates", async () => {
    const store = await openStore();
    await store.recordCompletion(
      completionRow({ messageId: "a", receivedAt: "2026-01-28T05:00:00Z" }),
    );
    await store.recordCompletion(
      completionRow({ messageId: "b", gameDate: "2025-12-01", receivedAt: "2026-01-28T05:30:00Z" }),
    );
    await store.recordCompletion(
      completionRow({ messageId: "c", receivedAt: "2026-01-28T06:00:00Z" }),
    );
    await store.recordCompletion(
      completionRow({ messageId: "d", phase: "phase2", receivedAt: "2026-01-28T05:10:00Z" }),
    );
    const rows = await store.listCompletionsReceivedBetween(
      "phase3",
      "2026-01-28T05:00:00Z",
      "2026-01-28T06:00:00Z",
    );
    expect(rows.map((r) => r.messageId)).toEqual(["a", "b"]);
  });

  it("replaces the status row of a phase and date instead of adding one", async () => {
    const store = await openStore();
    expect(await store.readStatus("phase3", "2026-01-27")).toBeNull();
    await store.upsertStatus(statusRow());
    const triggered = statusRow({
      completed: ["player_game_summary", "team_defense_game_summary"],
      missing: [],
      triggered: true,
      triggerReason: "all_complete",
      triggeredAt: "2026-01-28T05:20:00.000Z",
      idempotencyKey: "phase3-to-phase4:2026-01-27:1",
      updatedAt: "2026-01-28T05:20:00.000Z",
    });
    await store.upsertStatus(triggered);
    expect(await store.readStatus("phase3", "2026-01-27")).toEqual(triggered);
  });

  it("never lets a status written from an older snapshot un-trigger a date", async () => {
    const store = await openStore();
    const triggered = statusRow({ triggered: true, triggerReason: "all_complete" });
    await store.upsertStatus(triggered);
    await store.upsertStatus(
      statusRow({ triggered: false, updatedAt: "2026-01-28T09:00:00.000Z" }),
    );
    expect(await store.readStatus("phase3", "2026-01-27")).toEqual(triggered);
  });

  it("keeps the data when the file is closed and opened again", async () => {
    const first = await openDuckDbBackupStore(file);
    await first.recordCompletion(completionRow());
    await first.upsertStatus(statusRow());
    await first.close();
    await first.close();
    const reopened = await openStore();
    expect(await reopened.listCompletions("phase3", "2026-01-27")).toEqual([completionRow()]);
    expect(await reopened.readStatus("phase3", "2026-01-27")).toEqual(statusRow());
  });

  it("shares one database between stores opened on the same path", async () => {
    const a = await openStore();
    const b = await openStore();
    await Promise.all([
      a.recordCompletion(completionRow({ messageId: "from-a" })),
      b.recordCompletion(completionRow({ messageId: "from-b" })),
    ]);
    await a.close();
    expect((await b.listCompletions("phase3", "2026-01-27")).length).toBe(2);
  });

  it("stores a hostile processor name as data", async () => {
    const store = await openStore();
    const name = "x'; DROP TABLE phase_completions; --";
    await store.recordCompletion(completionRow({ reportedName: name, processor: name }));
    const [row] = await store.listCompletions("phase3", "2026-01-27");
    expect(row?.processor).toBe(name);
  });

  it("leaves a file that a user can query with plain SQL", async () => {
    const store = await openDuckDbBackupStore(file);
    await store.recordCompletion(completionRow());
    await store.recordCompletion(completionRow({ messageId: "m2", status: "failed" }));
    await store.close();
    const instance = await DuckDBInstance.create(file);
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll(
      "SELECT status, count(*) AS n FROM phase_completions WHERE game_date = DATE '2026-01-27' GROUP BY status ORDER BY status",
    );
    expect(reader.getRowObjectsJson()).toEqual([
      { status: "failed", n: "1" },
      { status: "success", n: "1" },
    ]);
    connection.closeSync();
    instance.closeSync();
  });

  it("works in memory, each :memory: store on its own", async () => {
    const a = await openStore(":memory:");
    const b = await openStore(":memory:");
    await a.recordCompletion(completionRow());
    await a.ping();
    expect(await a.listCompletions("phase3", "2026-01-27")).toHaveLength(1);
    expect(await b.listCompletions("phase3", "2026-01-27")).toHaveLength(0);
  });
});
