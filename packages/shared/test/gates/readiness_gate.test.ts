import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { TRANSITIONS } from "../../src/config/transition_defaults";
import { route } from "../../src/http/orchestrator_app";
import type { SweepReport } from "../../src/sweep/sweep";
import { BigQueryStandIn } from "../../src/testing/bigquery_stand_in";
import { describeWithEmulators } from "../../src/testing/emulator_suite";
import { type OrchestratorFixture, orchestratorFixture } from "../support/orchestrator_fixture";
import { ADMIN_TOKEN, completion, recordingAlerter, sweepRequest } from "../sweep/support";

const DATE = "2026-01-27";
const PHASE4 = TRANSITIONS["phase4-to-phase5"].expectedProcessors;
const GATE_TABLE = "nba_predictions.ml_feature_store_v2";

describeWithEmulators("readiness gates on the emulators and the BigQuery stand-in", () => {
  let standIn: BigQueryStandIn;
  let fx: OrchestratorFixture;
  let alerter: ReturnType<typeof recordingAlerter>;
  beforeAll(async () => {
    standIn = await BigQueryStandIn.start();
  });
  afterAll(async () => standIn?.close());
  afterEach(async () => {
    standIn.reset();
    await fx?.close();
  });

  async function withGate(mode: "blocking" | "advisory") {
    alerter = recordingAlerter();
    fx = await orchestratorFixture("phase4-to-phase5", {
      env: {
        ADMIN_TOKEN,
        BIGQUERY_API_ENDPOINT: standIn.url,
        READINESS_GATES: JSON.stringify([{ table: GATE_TABLE, minRows: 10, mode }]),
      },
      overrides: { alerter },
    });
  }

  it("holds a blocked trigger, alerts once, and triggers once the gate passes on the sweep", async () => {
    await withGate("blocking");
    for (const p of PHASE4.slice(0, 4)) await fx.send(completion(p, DATE));
    expect(standIn.queries()).toHaveLength(0); // the rule is not met: no gate query yet
    standIn.queueRows([{ row_count: 3 }]);
    const last = await fx.send(completion(PHASE4[4] as string, DATE));
    expect(last).toMatchObject({ status: 200, body: { status: "gate_blocked" } });
    const redelivery = await fx.send(completion(PHASE4[4] as string, DATE), "another-id");
    expect(redelivery.body).toMatchObject({ status: "gate_blocked" });
    expect(await fx.triggers()).toHaveLength(0);
    expect((await fx.orchestrator.state.readSnapshot(DATE)).trigger).toBeUndefined();
    expect(alerter.alerts.map((a) => a.kind)).toEqual(["gate_blocked"]);
    expect(fx.logs().filter((l) => l.event === "gate_blocked")).toHaveLength(2);

    const [query] = standIn.queries();
    expect(query?.sql).toContain(`\`${GATE_TABLE}\``);
    expect(query?.sql).toContain("= @game_date");
    expect(query?.params.game_date).toEqual({ type: "DATE", value: DATE });

    standIn.queueRows([{ row_count: 12 }]);
    const reply = await route(fx.orchestrator, sweepRequest());
    expect((reply.body as SweepReport).triggered).toEqual([DATE]);
    const triggers = await fx.triggers();
    expect(triggers).toHaveLength(1);
    expect(triggers[0]?.trigger_reason).toBe("all_complete");
    expect(alerter.alerts.map((a) => a.kind)).toEqual(["gate_blocked"]);
  });

  it("triggers on the next delivery once the gate passes", async () => {
    await withGate("blocking");
    for (const p of PHASE4.slice(0, 4)) await fx.send(completion(p, DATE));
    standIn.failNext(1, "unavailable"); // an unreadable count holds the trigger too
    expect((await fx.send(completion(PHASE4[4] as string, DATE))).body).toMatchObject({
      status: "gate_blocked",
    });
    standIn.queueRows([{ row_count: 10 }]);
    const redelivery = await fx.send(completion(PHASE4[4] as string, DATE), "redelivered");
    expect(redelivery.body).toMatchObject({ status: "triggered" });
    expect(await fx.triggers()).toHaveLength(1);
  });

  it("triggers despite an unmet advisory gate and logs a warning", async () => {
    await withGate("advisory");
    standIn.queueRows([{ row_count: 0 }]);
    for (const p of PHASE4) await fx.send(completion(p, DATE));
    expect(await fx.triggers()).toHaveLength(1);
    const warning = fx.logs().find((l) => l.event === "gate_advisory_unmet");
    expect(warning).toMatchObject({ severity: "WARNING", gates: [GATE_TABLE] });
    expect(alerter.alerts).toEqual([]);
  });
});
