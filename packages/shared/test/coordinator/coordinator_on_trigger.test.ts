import { afterEach, beforeEach, expect, it } from "vitest";
import { TRANSITIONS } from "../../src/config/transition_defaults";
import { describeWithEmulators } from "../../src/testing/emulator_suite";
import { type OrchestratorFixture, orchestratorFixture } from "../support/orchestrator_fixture";
import { completion, recordingAlerter } from "../sweep/support";
import { type CoordinatorServer, startCoordinatorServer } from "./coordinator_server";

const DATE = "2026-01-27";
const PHASE4 = TRANSITIONS["phase4-to-phase5"].expectedProcessors;

describeWithEmulators("prediction coordinator after the phase 5 trigger", () => {
  let server: CoordinatorServer;
  let fx: OrchestratorFixture;
  let alerter: ReturnType<typeof recordingAlerter>;
  const audiences: string[] = [];
  beforeEach(async () => {
    server = await startCoordinatorServer();
    audiences.length = 0;
    alerter = recordingAlerter();
    fx = await orchestratorFixture("phase4-to-phase5", {
      env: {
        COORDINATOR_URL: server.url,
        COORDINATOR_MAX_RETRIES: "2",
        // Real time here (the emulator clients need real timers); fake-time backoff is
        // tested on the client alone.
        COORDINATOR_BACKOFF_MS: "1",
      },
      overrides: {
        alerter,
        idTokenProvider: async (audience) => {
          audiences.push(audience);
          return "id-token-1";
        },
      },
    });
  });
  afterEach(async () => {
    await fx?.close();
    await server?.close();
  });

  const followUp = async () =>
    (await fx.firestore.collection("phase4_completion").doc(DATE).get()).get(
      "trigger.followUps.coordinator",
    );

  it("calls /start once with the ID token, and records the outcome", async () => {
    for (const p of PHASE4) await fx.send(completion(p, DATE, { correlation_id: "corr-9" }));
    await fx.send(completion(PHASE4[4] as string, DATE), "redelivered-last");
    const [trigger] = await fx.triggers();
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers.authorization).toBe("Bearer id-token-1");
    expect(server.requests[0]?.body).toEqual({
      game_date: DATE,
      correlation_id: "corr-9",
      idempotency_key: trigger?.idempotency_key,
    });
    expect(audiences).toEqual([server.url]);
    expect(await followUp()).toMatchObject({ ok: true, attempts: 1, httpStatus: 200 });
  });

  it("retries a failing coordinator, alerts, and still publishes the trigger once", async () => {
    server.answer(503, 503, 503, 503);
    for (const p of PHASE4) {
      expect((await fx.send(completion(p, DATE))).status).toBe(200);
    }
    expect(await fx.triggers()).toHaveLength(1);
    expect(server.requests).toHaveLength(3);
    expect(alerter.alerts.map((a) => a.kind)).toEqual(["coordinator_failed"]);
    expect(await followUp()).toMatchObject({ ok: false, attempts: 3, httpStatus: 503 });
    expect(fx.logs().some((l) => l.event === "coordinator_failed")).toBe(true);
    await fx.send(completion(PHASE4[0] as string, DATE), "late-redelivery");
    expect(await fx.triggers()).toHaveLength(1);
    expect(server.requests).toHaveLength(3);
  });
});
