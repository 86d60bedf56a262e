import { PubSub } from "@google-cloud/pubsub";
import { expect, it } from "vitest";
import type { TriggerMessage } from "../../src/messages/trigger_message";
import { PubSubTriggerPublisher } from "../../src/publish/trigger_publisher";
import { describeWithEmulators } from "../../src/testing/emulator_suite";
import { startEmulator } from "../../src/testing/emulators";
import { pullAll } from "../../src/testing/pubsub_rest";

const trigger = {
  game_date: "2026-01-27",
  idempotency_key: "phase3-to-phase4:2026-01-27:1",
  trigger_reason: "all_complete",
  triggered_by: "phase3-to-phase4",
  correlation_id: "corr-1",
} as TriggerMessage;

describeWithEmulators("trigger publisher", () => {
  it("carries the idempotency key as payload and attribute, and gives up when Pub/Sub is gone", async () => {
    const emulator = await startEmulator("pubsub");
    const previous = process.env.PUBSUB_EMULATOR_HOST;
    process.env.PUBSUB_EMULATOR_HOST = emulator.host;
    try {
      const pubsub = new PubSub({ projectId: "publisher-test" });
      const [topic] = await pubsub.createTopic("nba-phase4-trigger");
      await topic.createSubscription("watch");
      const publisher = new PubSubTriggerPublisher(pubsub, /* timeoutMs= */ 2_000);
      await publisher.publish("nba-phase4-trigger", trigger);
      const [message] = await pullAll(emulator.host, "publisher-test", "watch");
      expect(message?.attributes.idempotency_key).toBe(trigger.idempotency_key);
      expect(JSON.parse(message?.data.toString() ?? "{}")).toMatchObject(trigger);

      await emulator.stop();
      const error = await publisher.publish("nba-phase4-trigger", trigger).catch((e: unknown) => e);
      // The client's own default would keep retrying for 600 s; ours stops at the deadline.
      expect(error).toBeInstanceOf(Error);
      expect(String(error)).toMatch(/timeout|UNAVAILABLE|DEADLINE/i);
      await pubsub.close();
    } finally {
      process.env.PUBSUB_EMULATOR_HOST = previous;
      await emulator.stop();
    }
  });
});
