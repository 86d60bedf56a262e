import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Firestore } from "@google-cloud/firestore";
import { afterEach, expect, it, vi } from "vitest";
import type { AlertInput } from "../../src/alerts/alert";
import type { BackupStore } from "../../src/backup/backup_store";
import { openDuckDbBackupStore } from "../../src/backup/duckdb_backup_store";
import { reconcile } from "../../src/cli/reconcile";
import { route } from "../../src/http/orchestrator_app";
import type { ResilienceSettings } from "../../src/resilience/resilience_settings";
import { FirestoreStateStore } from "../../src/state/firestore_state_store";
import type { StateStore } from "../../src/state/state_store";
import { describeWithEmulators } from "../../src/testing/emulator_suite";
import { type RunningEmulator, startEmulator } from "../../src/testing/emulators";
import {
  type OrchestratorFixture,
  orchestratorFixture,
  pushRequest,
} from "../support/orchestrator_fixture";

const DATE = "2026-01-27";
const CRITICAL = ["player_game_summary", "upcoming_player_game_context"];
const OTHERS = [
  "team_defense_game_summary",
  "team_offense_game_summary",
  "upcoming_team_game_context",
];
const done = (processor: string) => ({
  processor_name: processor,
  game_date: DATE,
  status: "success",
});
// Short deadline and zero jitter (random = 0): no test waits on a retry delay.
const SETTINGS: ResilienceSettings = {
  retryMaxAttempts: 3,
  retryBaseMs: 1000,
  retryCapMs: 10_000,
  breakerConsecutiveFailures: 3,
  breakerHalfOpenAfterMs: 30_000,
  firestoreCallTimeoutMs: 5000,
};

/** A Firestore client on `host`, whatever FIRESTORE_EMULATOR_HOST says (it wins over settings). */
function firestoreOn(host: string, projectId: string): Firestore {
  const previous = process.env.FIRESTORE_EMULATOR_HOST;
  process.env.FIRESTORE_EMULATOR_HOST = host;
  try {
    return new Firestore({ projectId, ignoreUndefinedProperties: true });
  } finally {
    process.env.FIRESTORE_EMULATOR_HOST = previous;
  }
}

/** Counts the calls that reach the real store (and so the emulator), per method. */
function counting(inner: StateStore): { store: StateStore; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const store = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls.set(String(key), (calls.get(String(key)) ?? 0) + 1);
        return value.apply(target, args);
      };
    },
  });
  return { store, calls };
}

describeWithEmulators("resilience against a failing Firestore (emulators)", () => {
  let fx: OrchestratorFixture | undefined;
  const requireBackup = (): BackupStore => {
    if (!backup) throw new Error("the backup store was not opened");
    return backup;
  };
  const current = (): OrchestratorFixture => {
    if (!fx) throw new Error("the fixture was not built");
    return fx;
  };
  let emulator: RunningEmulator | undefined;
  let backup: BackupStore | undefined;
  let extra: Firestore | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await fx?.close();
    await extra?.terminate().catch(() => {});
    await backup?.close();
    await emulator?.stop();
    fx = emulator = backup = extra = undefined;
  });

  async function build(
    stateFor: (db: Firestore, collection: string) => StateStore,
    db?: Firestore,
    settings: ResilienceSettings = SETTINGS,
  ) {
    backup = await openDuckDbBackupStore(join(mkdtempSync(join(tmpdir(), "res-")), "b.duckdb"));
    const alerts: AlertInput[] = [];
    const firestore =
      db ?? new Firestore({ projectId: `res-${Math.random().toString(36).slice(2, 8)}` });
    fx = await orchestratorFixture("phase3-to-phase4", {
      overrides: {
        firestore,
        state: stateFor(firestore, "phase3_completion"),
        backup,
        alerter: { notify: async (a) => void alerts.push(a) },
        resilience: { settings, random: () => 0 },
      },
    });
    return { alerts, firestore };
  }

  it("records a completion once when one Firestore call fails transiently, without tripping the breaker", async () => {
    let failNext = 1;
    const { firestore } = await build(
      (db, c) => {
        const real = new FirestoreStateStore(db, c);
        // The real store throws the client's error (INTERNAL is not retried by Commit itself);
        // nothing between it and the retry policy catches it.
        return new Proxy(real, {
          get(target, key, receiver) {
            const value = Reflect.get(target, key, receiver);
            if (key !== "recordCompletion")
              return typeof value === "function" ? value.bind(target) : value;
            return async (...args: unknown[]) => {
              if (failNext-- > 0)
                throw Object.assign(new Error("13 INTERNAL: injected"), { code: 13 });
              return value.apply(target, args);
            };
          },
        });
      },
      undefined,
      { ...SETTINGS, firestoreCallTimeoutMs: 10_000 },
    );
    extra = firestore;
    const reply = await current().send(done(CRITICAL[0] as string), "once-1");
    expect(reply.status, current().logLines.join("\n")).toBe(200);
    const snapshot = await current().orchestrator.state.readSnapshot(DATE);
    expect(snapshot.processors.map((p) => [p.processor, p.deliveries])).toEqual([[CRITICAL[0], 1]]);
    const events = current()
      .logs()
      .map((l) => l.event);
    expect(events.filter((e) => e === "store_retry")).toHaveLength(1);
    expect(events).not.toContain("breaker_opened");
  });

  it("loses nothing and triggers once when the emulator stops mid-burst and comes back", async () => {
    emulator = await startEmulator("firestore");
    const db = firestoreOn(emulator.host, "outage");
    // Opens the gRPC channel first: a cold client's first call may take longer than the deadline.
    await db.doc("warm/up").get();
    const { store, calls } = counting(new FirestoreStateStore(db, "phase3_completion"));
    const { alerts } = await build(() => store, db);
    extra = db;
    const orchestrator = current().orchestrator;
    const sendAs = (id: string, processor: string) =>
      route(orchestrator, pushRequest(done(processor), id));

    // Before the outage: both critical processors recorded (no trigger: 2 of 5).
    for (const p of CRITICAL) expect((await sendAs(`pre-${p}`, p)).status).toBe(200);

    await emulator.stop();
    const burst = OTHERS.flatMap((p) => [`a-${p}`, `b-${p}`].map((id) => [id, p] as const));
    const replies = await Promise.all(burst.map(([id, p]) => sendAs(id, p)));
    expect(replies.map((r) => r.status)).toEqual(burst.map(() => 503));
    expect(
      current()
        .logs()
        .some((l) => l.event === "breaker_opened"),
    ).toBe(true);

    // Breaker open: no call reaches Firestore, status comes from the backup and says so.
    const before = [...calls.values()].reduce((a, b) => a + b, 0);
    expect((await sendAs("a-extra", OTHERS[0] as string)).status).toBe(503);
    const status = await route(orchestrator, {
      method: "GET",
      path: "/status",
      query: { date: DATE },
      headers: {},
      body: undefined,
    });
    expect([...calls.values()].reduce((a, b) => a + b, 0)).toBe(before);
    expect(status.status).toBe(200);
    expect(JSON.stringify(status.body)).toContain("duckdb");
    expect(
      current()
        .logs()
        .some((l) => l.event === "status_from_backup"),
    ).toBe(true);

    // Firestore comes back empty (the emulator keeps nothing): move the breaker's clock past
    // the half-open delay and let Pub/Sub redeliver what got a 503, then reconcile.
    emulator = await startEmulator("firestore", { port: emulator.port });
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    let pending = [...burst, ["a-extra", OTHERS[0] as string] as const];
    for (let round = 0; round < 10 && pending.length > 0; round++) {
      vi.setSystemTime(Date.now() + SETTINGS.breakerHalfOpenAfterMs + 1);
      const answers = await Promise.all(pending.map(([id, p]) => sendAs(id, p)));
      pending = pending.filter((_, i) => answers[i]?.status !== 200);
    }
    expect(pending).toEqual([]);
    const reports = await reconcile(
      { ...orchestrator, backup: requireBackup() },
      { fromIso: "2020-01-01T00:00:00Z", toIso: "2100-01-01T00:00:00Z", dryRun: false, runId: "t" },
    );
    expect(reports).toHaveLength(1);
    expect(reports[0]?.restored).toBe(2);

    const snapshot = await orchestrator.state.readSnapshot(DATE);
    expect(snapshot.processors.map((p) => p.processor).sort()).toEqual(
      [...CRITICAL, ...OTHERS].sort(),
    );
    const ids = snapshot.processors.flatMap((p) => p.messageIds);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(CRITICAL.length + burst.length + 1);
    const triggers = await current().triggers();
    expect(triggers).toHaveLength(1);
    // A second reconcile changes nothing and triggers nothing.
    const again = await reconcile(
      { ...orchestrator, backup: requireBackup() },
      {
        fromIso: "2020-01-01T00:00:00Z",
        toIso: "2100-01-01T00:00:00Z",
        dryRun: false,
        runId: "t2",
      },
    );
    expect(again[0]).toMatchObject({ restored: 0, action: "already_triggered" });
    expect(await current().triggers()).toHaveLength(1);
    const events = current()
      .logs()
      .map((l) => l.event);
    expect(events.filter((e) => e === "breaker_opened")).toHaveLength(1);
    expect(events.filter((e) => e === "breaker_closed")).toHaveLength(1);
    expect(alerts.filter((a) => a.kind === "breaker_opened")).toHaveLength(1);
  }, 120_000);
});
