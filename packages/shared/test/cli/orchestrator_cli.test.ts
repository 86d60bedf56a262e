import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TriggerRecord } from "../../src/state/phase_state";
import { describeWithEmulators } from "../../src/testing/emulator_suite";
import type { StatusView } from "../../src/tracker/status_view";
import { readJsonLines } from "../support/orchestrator_fixture";
import { type PipelineFixture, pipelineFixture } from "./pipeline_fixture";

const DAY = "2026-01-27";

async function playFixtureDay(fx: PipelineFixture): Promise<void> {
  await fx.play("phase2-to-phase3", readJsonLines("day-2026-01-27-phase2.jsonl"));
  await fx.play("phase3-to-phase4", readJsonLines("day-2026-01-27-phase3.jsonl"));
  await fx.play("phase4-to-phase5", readJsonLines("day-2026-01-27-phase4.jsonl"));
}

describe("orchestrator CLI without a store", () => {
  it("prints the command list and each command's help", async () => {
    const { runCli } = await import("../../src/cli/orchestrator/main");
    let out = "";
    const io = {
      stdout: (t: string) => {
        out += t;
      },
      stderr: () => {},
      env: {},
      stdoutIsTty: false,
      stderrIsTty: false,
    };
    expect(await runCli(["--help"], io)).toBe(0);
    expect(out).toMatch(/status\s+state of every phase/);
    for (const command of ["status", "retrigger", "replay", "health"]) {
      out = "";
      expect(await runCli([command, "--help"], io)).toBe(0);
      expect(out).toContain(`Usage: orchestrator ${command}`);
    }
    expect(await runCli(["status", "2026-01-01..2026-03-15"], io)).toBe(2);
    expect(await runCli(["retrigger", "phase9", DAY], io)).toBe(2);
    expect(await runCli(["retrigger", "phase4", DAY, "--force"], io)).toBe(2);
  });
});

describeWithEmulators("orchestrator CLI on the emulators", () => {
  let fx: PipelineFixture;
  beforeEach(async () => {
    fx = await pipelineFixture();
  });
  afterEach(async () => fx?.close());

  it("shows the fixture day for all three phases", async () => {
    await playFixtureDay(fx);
    const json = await fx.cli("status", DAY, "--json");
    expect(json.code).toBe(0);
    const views = JSON.parse(json.stdout) as StatusView[];
    expect(views.map((v) => [v.transition, v.triggered, v.reason, v.missing])).toEqual([
      ["phase2-to-phase3", true, "all_complete", []],
      ["phase3-to-phase4", true, "critical_plus_majority_60pct", []],
      ["phase4-to-phase5", true, "all_complete", []],
    ]);
    expect(views[0]?.unknown.map((p) => p.processor)).toEqual(["espn_scoreboard_loader"]);
    const table = await fx.cli("status", DAY);
    expect(table.stdout).toMatch(
      /^DATE\s+PHASE2-TO-PHASE3\s+PHASE3-TO-PHASE4\s+PHASE4-TO-PHASE5$/m,
    );
    expect(table.stdout).toMatch(
      /^2026-01-27 +triggered 6\/6 all_complete +late completions 5\/5 critical_plus_majority_60pct +triggered 5\/5 all_complete$/m,
    );
    expect(table.stdout).toContain("unknown espn_scoreboard_loader");
    expect(table.stdout).not.toContain("\u001b[");
  });

  it("refuses to retrigger a triggered date without --force", async () => {
    await playFixtureDay(fx);
    await fx.triggers("phase3-to-phase4");
    const run = await fx.cli("retrigger", "phase4", DAY);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain("already triggered (generation 1");
    expect(await fx.triggers("phase3-to-phase4")).toHaveLength(0);
  });

  it("publishes a new generation on --force and records who and why", async () => {
    await playFixtureDay(fx);
    const [first] = await fx.triggers("phase3-to-phase4");
    const run = await fx.cli(
      "retrigger",
      "phase4",
      DAY,
      "--force",
      "--reason",
      "phase 3 rerun after fix",
      "--by",
      "alice",
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("generation         1 -> 2");
    const published = await fx.triggers("phase3-to-phase4");
    expect(published).toHaveLength(1);
    const again = published[0];
    expect(again?.message).toMatchObject({
      game_date: DAY,
      generation: 2,
      idempotency_key: "phase3-to-phase4:2026-01-27:2",
      trigger_reason: "forced_retrigger",
      correlation_id: first?.message.correlation_id,
    });
    expect(again?.attributes.idempotency_key).toBe("phase3-to-phase4:2026-01-27:2");
    const snapshot = await fx.orchestrators["phase3-to-phase4"].state.readSnapshot(DAY);
    expect(snapshot.trigger).toMatchObject<Partial<TriggerRecord>>({
      generation: 2,
      forcedBy: "alice",
      forcedReason: "phase 3 rerun after fix",
      published: true,
    });
  });

  it("lets only one of two simultaneous forced retriggers through", async () => {
    await playFixtureDay(fx);
    await fx.triggers("phase3-to-phase4");
    const force = (by: string) =>
      fx.cli("retrigger", "phase4", DAY, "--force", "--reason", `race ${by}`, "--by", by);
    const runs = await Promise.all([force("alice"), force("bob")]);
    expect(runs.map((r) => r.code).sort()).toEqual([0, 1]);
    expect(runs.find((r) => r.code === 1)?.stderr).toMatch(/someone retriggered it meanwhile/);
    expect(await fx.triggers("phase3-to-phase4")).toHaveLength(1);
    const snapshot = await fx.orchestrators["phase3-to-phase4"].state.readSnapshot(DAY);
    expect(snapshot.trigger?.generation).toBe(2);
  });

  it("replays a due but untriggered date once, and the dry run changes nothing", async () => {
    // A backfill recorded completions without evaluating them (as if the function was off).
    const orchestrator = fx.orchestrators["phase4-to-phase5"];
    for (const [i, processor] of orchestrator.config.expectedProcessors.entries()) {
      await orchestrator.state.recordCompletion({
        gameDate: "2026-01-20",
        processor,
        known: true,
        reportedName: processor,
        status: "success",
        messageId: `backfill-${i}`,
        receivedAt: new Date("2026-01-21T06:00:00Z"),
        recordCount: 1,
      });
    }
    const dry = await fx.cli("replay", "phase5", "2026-01-19..2026-01-20", "--dry-run", "--json");
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout).map((r: { action: string }) => r.action)).toEqual([
      "waiting",
      "would_trigger",
    ]);
    expect(await fx.triggers("phase4-to-phase5")).toHaveLength(0);
    expect((await orchestrator.state.readSnapshot("2026-01-20")).trigger).toBeUndefined();

    const real = await fx.cli("replay", "phase5", "2026-01-19..2026-01-20");
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/^2026-01-20\s+triggered\s+all_complete\s+5\/5/m);
    expect(real.stdout).toContain("1 triggered, 0 failed");
    const again = await fx.cli("replay", "phase5", "2026-01-19..2026-01-20", "--json");
    expect(JSON.parse(again.stdout)[1].action).toBe("already_triggered");
    const triggers = await fx.triggers("phase4-to-phase5");
    expect(triggers.map((t) => t.message.idempotency_key)).toEqual([
      "phase4-to-phase5:2026-01-20:1",
    ]);
  });
});
