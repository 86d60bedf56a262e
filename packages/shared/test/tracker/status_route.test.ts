import { afterEach, expect, it } from "vitest";
import { route } from "../../src/http/orchestrator_app";
import { describeWithEmulators } from "../../src/testing/emulator_suite";
import type { StatusView } from "../../src/tracker/status_view";
import {
  type OrchestratorFixture,
  orchestratorFixture,
  readJsonLines,
} from "../support/orchestrator_fixture";

const get = (path: string, query: Record<string, string> = {}) => ({
  method: "GET",
  path,
  query,
  headers: {},
  body: undefined,
});

describeWithEmulators("health and status routes", () => {
  let fx: OrchestratorFixture;
  afterEach(async () => fx?.close());

  it("answers /health with name and version", async () => {
    fx = await orchestratorFixture("phase2-to-phase3");
    const reply = await route(fx.orchestrator, get("/health"));
    expect(reply).toEqual({
      status: 200,
      body: { name: "phase2-to-phase3", version: "dev", status: "ok" },
    });
  });

  it("shows completed, missing, failed and unknown processors and the trigger", async () => {
    fx = await orchestratorFixture("phase3-to-phase4");
    // The fixture day without its last line: upcoming_team_game_context has not reported.
    for (const message of readJsonLines("day-2026-01-27-phase3.jsonl").slice(0, 5)) {
      await fx.send(message);
    }
    const reply = await route(fx.orchestrator, get("/status", { date: "2026-01-27" }));
    expect(reply.status).toBe(200);
    const view = reply.body as StatusView;
    expect(view.source).toBe("firestore");
    expect(view.mode).toBe("overnight");
    expect(view.triggered).toBe(true);
    expect(view.published).toBe(true);
    expect(view.reason).toBe("critical_plus_majority_60pct");
    expect(view.missing).toEqual(["upcoming_team_game_context"]);
    expect(view.completed.map((p) => p.processor).sort()).toEqual([
      "player_game_summary",
      "team_defense_game_summary",
      "team_offense_game_summary",
      "upcoming_player_game_context",
    ]);
    const upcoming = view.completed.find((p) => p.processor === "upcoming_player_game_context");
    expect(upcoming?.deliveries).toBe(2);
  });

  it("marks a processor that finished after the trigger as late", async () => {
    fx = await orchestratorFixture("phase3-to-phase4");
    // The last line of the fixture day arrives after the majority rule has triggered.
    for (const message of readJsonLines("day-2026-01-27-phase3.jsonl")) await fx.send(message);
    const view = (await route(fx.orchestrator, get("/status", { date: "2026-01-27" })))
      .body as StatusView;
    expect(view.completed.find((p) => p.processor === "upcoming_team_game_context")?.late).toBe(
      true,
    );
    expect(fx.logs().some((l) => l.event === "late_completion")).toBe(true);
    expect(await fx.triggers()).toHaveLength(1);
  });

  it("refuses a status request without a valid date", async () => {
    fx = await orchestratorFixture("phase3-to-phase4");
    expect((await route(fx.orchestrator, get("/status", { date: "2026-02-30" }))).status).toBe(400);
  });
});
