import { afterEach, describe, expect, it } from "vitest";
import { TRANSITIONS } from "../../src/config/transition_defaults";
import { route } from "../../src/http/orchestrator_app";
import type { SweepReport } from "../../src/sweep/sweep";
import { sweepRoute } from "../../src/sweep/sweep_route";
import { describeWithEmulators } from "../../src/testing/emulator_suite";
import { type OrchestratorFixture, orchestratorFixture } from "../support/orchestrator_fixture";
import { ADMIN_TOKEN, completion, recordingAlerter, sweepRequest } from "./support";

const DATE = "2026-01-27";
const MINUTE_MS = 60_000;
const PHASE4 = TRANSITIONS["phase4-to-phase5"].expectedProcessors;

describeWithEmulators("the sweep on the emulators", () => {
  let fx: OrchestratorFixture;
  let alerter: ReturnType<typeof recordingAlerter>;
  afterEach(async () => fx?.close());

  async function phase4(extra: { failOnce?: boolean } = {}) {
    alerter = recordingAlerter();
    let fail = extra.failOnce === true;
    fx = await orchestratorFixture("phase4-to-phase5", {
      env: { ADMIN_TOKEN },
      overrides: {
        alerter,
        failpoints: {
          afterClaimBeforePublish: () => {
            if (!fail) return;
            fail = false;
            throw new Error("instance died after the claim");
          },
        },
      },
    });
  }

  const sweep = async () => {
    const reply = await route(fx.orchestrator, sweepRequest());
    expect(reply.status).toBe(200);
    return reply.body as SweepReport;
  };

  it("triggers a stalled date on tier 3 four hours after its only completion", async () => {
    await phase4();
    await fx.send(completion(PHASE4[0] as string, DATE));
    fx.clock.advance(240 * MINUTE_MS - 1);
    expect((await sweep()).waiting).toEqual([DATE]);
    expect(await fx.triggers()).toHaveLength(0);
    fx.clock.advance(1);
    const report = await sweep();
    expect(report.triggered).toEqual([DATE]);
    const triggers = await fx.triggers();
    expect(triggers).toHaveLength(1);
    expect(triggers[0]).toMatchObject({
      trigger_reason: "tier3_timeout",
      completed_processors: [PHASE4[0]],
      missing_processors: PHASE4.slice(1),
    });
    expect(alerter.alerts.map((a) => a.kind)).toEqual(["phase_timeout"]);
    expect(fx.logs().some((l) => l.event === "sweep_triggered")).toBe(true);
    // A later sweep leaves the published date alone.
    expect((await sweep()).datesChecked).toEqual([]);
  });

  it("triggers once when two sweeps run at the same moment", async () => {
    await phase4();
    for (const p of PHASE4.slice(0, 3)) await fx.send(completion(p, DATE));
    fx.clock.advance(120 * MINUTE_MS);
    const reports = await Promise.all([sweep(), sweep(), sweep()]);
    expect(reports.flatMap((r) => r.triggered)).toEqual([DATE]);
    const triggers = await fx.triggers();
    expect(triggers).toHaveLength(1);
    expect(triggers[0]?.trigger_reason).toBe("tier2_timeout");
  });

  it("publishes a trigger that was claimed but never published, once its lease expired", async () => {
    await phase4({ failOnce: true });
    for (const p of PHASE4) await fx.send(completion(p, DATE));
    expect(await fx.triggers()).toHaveLength(0);
    expect((await sweep()).handledElsewhere).toEqual([DATE]); // the lease is still held
    fx.clock.advance(fx.orchestrator.config.publishLeaseMs);
    const report = await sweep();
    expect(report.republished).toEqual([DATE]);
    const triggers = await fx.triggers();
    expect(triggers).toHaveLength(1);
    expect(triggers[0]?.trigger_reason).toBe("all_complete");
    expect((await fx.orchestrator.state.readSnapshot(DATE)).trigger?.published).toBe(true);
  });

  it("looks only at the configured window of game dates", async () => {
    await phase4();
    await fx.send(completion(PHASE4[0] as string, "2026-01-20"));
    fx.clock.advance(300 * MINUTE_MS);
    const report = await sweep();
    expect(report.window).toEqual({ from: "2026-01-25", to: "2026-01-29" });
    expect(report.datesChecked).toEqual([]);
  });

  describe("deadline", () => {
    it("alerts a missed phase 2 deadline once and does not trigger", async () => {
      alerter = recordingAlerter();
      fx = await orchestratorFixture("phase2-to-phase3", {
        env: {
          ADMIN_TOKEN,
          TRIGGER_RULE: JSON.stringify({
            modes: { overnight: {}, same_day: {}, tomorrow: {} },
            deadlineMinutes: 90,
          }),
        },
        overrides: { alerter },
      });
      await fx.send(completion("p2_bdl_box_scores", DATE));
      fx.clock.advance(89 * MINUTE_MS);
      expect((await sweep()).alerted).toEqual([]);
      fx.clock.advance(MINUTE_MS);
      const [first, second] = await Promise.all([sweep(), sweep()]);
      expect([...(first?.alerted ?? []), ...(second?.alerted ?? [])]).toEqual([
        { gameDate: DATE, kind: "deadline_missed" },
      ]);
      expect((await sweep()).alerted).toEqual([]);
      expect(alerter.alerts.map((a) => a.kind)).toEqual(["deadline_missed"]);
      expect(await fx.triggers()).toHaveLength(0);
    });
  });

  describe("authentication", () => {
    it("refuses a request without a token (401) and with a wrong one (403)", async () => {
      await phase4();
      await fx.send(completion(PHASE4[0] as string, DATE));
      fx.clock.advance(300 * MINUTE_MS);
      expect((await route(fx.orchestrator, sweepRequest(null))).status).toBe(401);
      expect((await route(fx.orchestrator, sweepRequest("not-the-admin-token!!"))).status).toBe(
        403,
      );
      expect(await fx.triggers()).toHaveLength(0);
    });

    it("accepts a Google ID token from an allowed service account only", async () => {
      alerter = recordingAlerter();
      fx = await orchestratorFixture("phase4-to-phase5", {
        env: {
          ADMIN_AUDIENCE: "https://phase4-to-phase5.example.test",
          ADMIN_ALLOWED_EMAILS: "scheduler@p.iam.gserviceaccount.com",
        },
        overrides: { alerter },
      });
      const verify = async (token: string, audience: string) => {
        expect(audience).toBe("https://phase4-to-phase5.example.test");
        return { email: token === "good" ? "scheduler@p.iam.gserviceaccount.com" : "x@y.z" };
      };
      expect((await sweepRoute(fx.orchestrator, sweepRequest("other"), verify)).status).toBe(403);
      expect((await sweepRoute(fx.orchestrator, sweepRequest("good"), verify)).status).toBe(200);
    });
  });
});
