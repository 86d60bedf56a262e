import { Firestore } from "@google-cloud/firestore";
import { PubSub } from "@google-cloud/pubsub";
import { expect, it } from "vitest";
import { describeWithEmulators, uniqueProjectId } from "../src/testing";

describeWithEmulators("emulator harness", () => {
  it("gives each test an isolated Firestore project", async () => {
    const a = new Firestore({ projectId: uniqueProjectId() });
    const b = new Firestore({ projectId: uniqueProjectId() });
    await a.doc("c/d").set({ x: 1 });
    expect((await a.doc("c/d").get()).data()).toEqual({ x: 1 });
    expect((await b.doc("c/d").get()).exists).toBe(false);
    await Promise.all([a.terminate(), b.terminate()]);
  });

  it("creates and lists Pub/Sub topics on the emulator", async () => {
    const pubsub = new PubSub({ projectId: uniqueProjectId() });
    await pubsub.createTopic("topic-one");
    const [topics] = await pubsub.getTopics();
    expect(topics.map((t) => t.name.split("/").pop())).toEqual(["topic-one"]);
    await pubsub.close();
  });
});
