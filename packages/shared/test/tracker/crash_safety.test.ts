import { afterEach, expect, it } from "vitest";
import { PubSubTriggerPublisher, type TriggerPublisher } from "../../src/publish/trigger_publisher";
import { describeWithEmulators } from "../../src/testing/emulator_suite";
import { type OrchestratorFixture, orchestratorFixture } from "../support/orchestrator_fixture";
import { DATE, done, PHASE4 } from "../support/phase4_day";

/** A real publisher that refuses its first `failures` calls, as a Pub/Sub outage would. */
function flakyPublisher(real: TriggerPublisher, failures: number): TriggerPublisher {
  let left = failures;
  return {
    publish: async (topic, message) => {
      if (left-- > 0) throw Object.assign(new Error("14 UNAVAILABLE: pubsub down"), { code: 14 });
      return real.publish(topic, message);
    },
  };
}

/**
 * An orchestrator whose process "dies" between the trigger decision and the publish until
 * `revive()` is called, as a crashed instance followed by a healthy one would.
 */
async function dyingAfterClaim(): Promise<{ fx: OrchestratorFixture; revive: () => void }> {
  let crash = true;
  const fx = await orchestratorFixture("phase4-to-phase5", {
    overrides: {
      failpoints: {
        afterClaimBeforePublish: () => {
          if (crash) throw new Error("process died");
        },
      },
    },
  });
  return { fx, revive: () => (crash = false) };
}

describeWithEmulators("a trigger survives failures between decision and publish", () => {
  let fx: OrchestratorFixture;
  afterEach(async () => fx?.close());

  it("publishes exactly one trigger after a publish that fails once and is redelivered", async () => {
    let publisher: TriggerPublisher | undefined;
    fx = await orchestratorFixture("phase4-to-phase5", {
      overrides: {
        publisher: {
          publish: (topic, message) => (publisher as TriggerPublisher).publish(topic, message),
        },
      },
    });
    publisher = flakyPublisher(new PubSubTriggerPublisher(fx.pubsub), 1);
    for (const p of PHASE4.slice(0, 4)) await fx.send(done(p));
    const first = await fx.send(done(PHASE4[4] as string), "last");
    expect(first.status).toBe(503);
    expect(await fx.triggers()).toHaveLength(0);
    const snapshot = await fx.orchestrator.state.readSnapshot(DATE);
    expect(snapshot.trigger?.published).toBe(false);

    const redelivery = await fx.send(done(PHASE4[4] as string), "last");
    expect(redelivery.status).toBe(200);
    const triggers = await fx.triggers();
    expect(triggers).toHaveLength(1);
    expect(triggers[0]?.idempotency_key).toBe("phase4-to-phase5:2026-01-27:1");
    expect((await fx.orchestrator.state.readSnapshot(DATE)).trigger?.published).toBe(true);
    // Every later delivery sees the published trigger and does nothing more.
    await fx.send(done(PHASE4[2] as string), "late-dup");
    expect(await fx.triggers()).toHaveLength(1);
  });

  it("publishes the trigger on redelivery when the process died after deciding", async () => {
    const dying = await dyingAfterClaim();
    fx = dying.fx;
    for (const p of PHASE4.slice(0, 4)) await fx.send(done(p));
    const died = await fx.send(done(PHASE4[4] as string), "last");
    expect(died.status).toBeGreaterThanOrEqual(500);
    expect(await fx.triggers()).toHaveLength(0);
    dying.revive();
    // The dead attempt still holds the publish lease: the redelivery is asked to come back.
    expect((await fx.send(done(PHASE4[4] as string), "last")).status).toBe(503);
    fx.clock.advance(fx.orchestrator.config.publishLeaseMs + 1);
    expect((await fx.send(done(PHASE4[4] as string), "last")).status).toBe(200);
    expect(await fx.triggers()).toHaveLength(1);
  });

  it("lets another delivery finish a trigger whose publish lease has expired", async () => {
    const dying = await dyingAfterClaim();
    fx = dying.fx;
    for (const p of PHASE4.slice(0, 4)) await fx.send(done(p));
    await fx.send(done(PHASE4[4] as string), "claimer");
    dying.revive();
    // Another processor's redelivery arrives while the claimer's lease is still live.
    const early = await fx.send(done(PHASE4[0] as string), "other-1");
    expect(early.body).toMatchObject({ status: "publish_in_progress" });
    expect(await fx.triggers()).toHaveLength(0);
    fx.clock.advance(fx.orchestrator.config.publishLeaseMs + 1);
    const later = await fx.send(done(PHASE4[1] as string), "other-2");
    expect(later.body).toMatchObject({ status: "published_pending" });
    expect(await fx.triggers()).toHaveLength(1);
  });
});
