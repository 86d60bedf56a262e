import { afterEach, expect, it } from "vitest";
import { createOrchestrator } from "../../src/http/create_orchestrator";
import { type Orchestrator, route } from "../../src/http/orchestrator_app";
import { memoryLogger } from "../../src/logging/logger";
import { describeWithEmulators } from "../../src/testing/emulator_suite";
import {
  type OrchestratorFixture,
  orchestratorFixture,
  pushRequest,
} from "../support/orchestrator_fixture";
import { done, PHASE4 } from "../support/phase4_day";

describeWithEmulators("a redelivery that overlaps the first delivery on another instance", () => {
  let fx: OrchestratorFixture;
  afterEach(async () => fx?.close());

  // Found by the chaos suite: Pub/Sub may hand a message to a second instance while its
  // first delivery is still running. The publish lease is held per attempt, so the second
  // delivery is told to retry (503) instead of publishing a second copy.
  it("publishes the trigger once when the claiming message is redelivered to a second instance while the first is still publishing", async () => {
    let releaseFirst: () => void = () => {};
    let firstBlocked: () => void = () => {};
    const firstIsBlocked = new Promise<void>((resolve) => {
      firstBlocked = resolve;
    });
    const gate = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    // Only the first instance stops at the failure point: it has claimed, not yet published.
    const blockFirst = async () => {
      firstBlocked();
      await gate;
    };
    fx = await orchestratorFixture("phase4-to-phase5", {
      overrides: { failpoints: { afterClaimBeforePublish: () => blockFirst() } },
    });
    const second: Orchestrator = await createOrchestrator(fx.orchestrator.config, {
      firestore: fx.firestore,
      pubsub: fx.pubsub,
      clock: fx.clock,
      logger: memoryLogger().logger,
      backup: null,
      env: { GOOGLE_CLOUD_PROJECT: fx.orchestrator.config.projectId },
    });
    for (const p of PHASE4.slice(0, 4)) await fx.send(done(p));
    const last = done(PHASE4[4] as string);
    const first = fx.send(last, "last-message");
    await firstIsBlocked;
    const redelivered = await route(second, pushRequest(last, "last-message"));
    expect(redelivered.status).toBe(503);
    releaseFirst();
    expect((await first).status).toBe(200);
    // Pub/Sub retries the 503'd delivery later; by then the trigger is published.
    expect((await route(second, pushRequest(last, "last-message"))).status).toBe(200);
    const triggers = await fx.triggers();
    expect(triggers.map((t) => t.idempotency_key)).toEqual(["phase4-to-phase5:2026-01-27:1"]);
  });
});
