import { afterEach, expect, it } from "vitest";
import { route } from "../../src/http/orchestrator_app";
import type { StatusView } from "../../src/tracker/status_view";
import { describeWithEmulators } from "../../src/testing/emulator_suite";
import { type OrchestratorFixture, orchestratorFixture } from "../support/orchestrator_fixture";
import { completion } from "../sweep/support";

const DATE = "2026-01-27"; // overnight at the fixture's clock (2026-01-28 12:00 UTC)

describeWithEmulators("phase 3 → 4: entities and late completions on the emulators", () => {
  let fx: OrchestratorFixture;
  afterEach(async () => fx?.close());

  it("merges entities over the processors into the phase 4 trigger", async () => {
    fx = await orchestratorFixture("phase3-to-phase4");
    const meta = (is_incremental: boolean, entities_changed: string[]) => ({
      metadata: { is_incremental, entities_changed },
    });
    await fx.send(completion("player_game_summary", DATE, meta(true, ["p:2", "p:1"])));
    await fx.send(completion("team_offense_game_summary", DATE, meta(false, ["t:LAL"])));
    await fx.send(completion("upcoming_player_game_context", DATE, meta(true, ["p:1", "p:3"])));
    const [trigger, ...rest] = await fx.triggers();
    expect(rest).toEqual([]);
    expect(trigger).toMatchObject({
      trigger_reason: "critical_plus_majority_60pct",
      mode: "overnight",
      is_incremental: false,
      entities_changed: ["p:1", "p:2", "p:3", "t:LAL"],
    });
  });

  it("records a completion after the trigger as late, shows it, warns, and does not retrigger", async () => {
    fx = await orchestratorFixture("phase3-to-phase4");
    for (const p of [
      "player_game_summary",
      "upcoming_player_game_context",
      "team_offense_game_summary",
    ]) {
      await fx.send(completion(p, DATE));
    }
    const late = await fx.send(completion("team_defense_game_summary", DATE));
    expect(late).toMatchObject({ status: 200, body: { status: "already_triggered" } });
    expect(await fx.triggers()).toHaveLength(1);
    const warning = fx.logs().find((l) => l.event === "late_completion");
    expect(warning).toMatchObject({ severity: "WARNING", processor: "team_defense_game_summary" });
    const status = await route(fx.orchestrator, {
      method: "GET",
      path: "/status",
      query: { date: DATE },
      headers: {},
      body: undefined,
    });
    const view = status.body as StatusView;
    const byName = new Map(view.completed.map((p) => [p.processor, p.late]));
    expect(byName.get("team_defense_game_summary")).toBe(true);
    expect(byName.get("player_game_summary")).toBe(false);
  });
});
