import { afterEach, describe, expect, it } from "vitest";
import { describeWithEmulators } from "../../src/testing/emulator_suite";
import {
  type OrchestratorFixture,
  orchestratorFixture,
  readJsonLines,
} from "../support/orchestrator_fixture";

const DATE = "2026-01-27";
const PHASE4 = [
  "team_defense_zone_analysis",
  "player_shot_zone_analysis",
  "player_composite_factors",
  "player_daily_cache",
  "ml_feature_store",
];
const done = (processor: string, extra: Record<string, unknown> = {}) => ({
  processor_name: processor,
  game_date: DATE,
  status: "success",
  correlation_id: "corr-1",
  ...extra,
});

describeWithEmulators("completion tracking on the emulators", () => {
  let fx: OrchestratorFixture;
  afterEach(async () => fx?.close());

  describe("phase 2 → 3 with the fixture day", () => {
    it("triggers phase 3 once from the fixture day, in any order", async () => {
      fx = await orchestratorFixture("phase2-to-phase3");
      const day = readJsonLines("day-2026-01-27-phase2.jsonl");
      const shuffled = [...day].sort((a, b) =>
        String(a.execution_id).localeCompare(String(b.execution_id)),
      );
      for (const message of shuffled) expect((await fx.send(message)).status).toBe(200);
      const triggers = await fx.triggers();
      expect(triggers).toHaveLength(1);
      expect(triggers[0]).toMatchObject({
        game_date: DATE,
        trigger_reason: "all_complete",
        correlation_id: "c0rr-7f3a2b91",
        idempotency_key: "phase2-to-phase3:2026-01-27:1",
        missing_processors: [],
        unknown_processors: ["espn_scoreboard_loader"],
        triggered_by: "phase2-to-phase3",
      });
    });
  });

  describe("phase 4 → 5", () => {
    it("counts a redelivered message once", async () => {
      fx = await orchestratorFixture("phase4-to-phase5");
      for (let i = 0; i < 3; i++) await fx.send(done(PHASE4[0] as string), "same-id");
      const status = await fx.orchestrator.state.readSnapshot(DATE);
      expect(status.processors).toHaveLength(1);
      expect(status.processors[0]?.deliveries).toBe(1);
      expect(fx.logs().filter((l) => l.event === "completion_duplicate")).toHaveLength(2);
    });

    it("starts phase 5 once when 20 last completions race", async () => {
      fx = await orchestratorFixture("phase4-to-phase5");
      for (const p of PHASE4.slice(0, 4)) await fx.send(done(p));
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) => fx.send(done(PHASE4[4] as string), `last-${i}`)),
      );
      expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
      const triggers = await fx.triggers();
      expect(triggers).toHaveLength(1);
      expect(triggers[0]?.completed_processors).toEqual(PHASE4);
    });

    it("does not count a failed processor and names it", async () => {
      fx = await orchestratorFixture("phase4-to-phase5");
      for (const p of PHASE4.slice(0, 4)) await fx.send(done(p));
      await fx.send(done(PHASE4[4] as string, { status: "failed" }));
      expect(await fx.triggers()).toHaveLength(0);
      const snapshot = await fx.orchestrator.state.readSnapshot(DATE);
      expect(snapshot.trigger).toBeUndefined();
      expect(fx.logs().some((l) => l.event === "processor_failed")).toBe(true);
      await fx.send(done(PHASE4[4] as string));
      expect(await fx.triggers()).toHaveLength(1);
    });

    it("stores and reports an unknown processor without counting it", async () => {
      fx = await orchestratorFixture("phase4-to-phase5");
      for (const p of PHASE4.slice(0, 4)) await fx.send(done(p));
      await fx.send(done("mystery_table_builder"));
      expect(await fx.triggers()).toHaveLength(0);
      const reply = await fx.orchestrator.tracker
        .handle({
          message: { ...done(PHASE4[4] as string), record_count: 0, metadata: {} } as never,
          messageId: "x",
        })
        .then((r) => r.snapshot);
      expect(reply.processors.find((p) => p.processor === "mystery_table_builder")?.known).toBe(
        false,
      );
      const [trigger] = await fx.triggers();
      expect(trigger?.unknown_processors).toEqual(["mystery_table_builder"]);
      expect(fx.logs().some((l) => l.event === "unknown_processor")).toBe(true);
    });

    it("normalises class names, tables and version suffixes to canonical names", async () => {
      fx = await orchestratorFixture("phase4-to-phase5");
      for (const message of readJsonLines("day-2026-01-27-phase4.jsonl")) await fx.send(message);
      const [trigger] = await fx.triggers();
      expect(trigger?.completed_processors).toEqual(PHASE4);
      expect(trigger?.trigger_reason).toBe("all_complete");
    });
  });
});
