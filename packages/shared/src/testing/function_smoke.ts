import type { Server } from "node:http";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithEmulators, uniqueProjectId } from "./emulator_suite";

/**
 * The checks every deployable function shares, through the real Functions Framework
 * server: `/health`, and one completion delivered as a push body and as both CloudEvent
 * modes. `load` imports the function module, which registers `entryPoint`.
 */
export function functionSmokeSuite(
  name: string,
  entryPoint: string,
  processor: string,
  load: () => Promise<unknown>,
): void {
  describeWithEmulators(`${name} through the Functions Framework`, () => {
    let server: Server;
    let base: string;

    beforeAll(async () => {
      process.env.GOOGLE_CLOUD_PROJECT = uniqueProjectId(name.slice(0, 6));
      process.env.BACKUP_KIND = "none";
      await load();
      server = getTestServer(entryPoint);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const address = server.address();
      base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("answers /health with its name and no network call", async () => {
      const response = await fetch(`${base}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ name, status: "ok" });
    });

    const message = (id: string) => ({
      data: Buffer.from(
        JSON.stringify({ processor_name: processor, game_date: "2026-01-27" }),
      ).toString("base64"),
      messageId: id,
      publishTime: new Date().toISOString(),
    });

    it("records a completion pushed by Pub/Sub", async () => {
      const response = await fetch(base, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message: message("push-1"), subscription: "s" }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ duplicate: false });
    });

    it("accepts the same data as a binary-mode CloudEvent", async () => {
      const response = await fetch(base, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "ce-id": "ce-bin-1",
          "ce-specversion": "1.0",
          "ce-type": "google.cloud.pubsub.topic.v1.messagePublished",
          "ce-source": "//pubsub.googleapis.com/projects/p/topics/t",
        },
        body: JSON.stringify({ message: message("ce-bin-1"), subscription: "s" }),
      });
      expect(response.status).toBe(200);
    });

    it("accepts the same data as a structured-mode CloudEvent and sees the redelivery", async () => {
      const response = await fetch(base, {
        method: "POST",
        headers: { "content-type": "application/cloudevents+json" },
        body: JSON.stringify({
          specversion: "1.0",
          id: "ce-bin-1",
          type: "google.cloud.pubsub.topic.v1.messagePublished",
          source: "//pubsub.googleapis.com/projects/p/topics/t",
          data: { message: message("ce-bin-1"), subscription: "s" },
        }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ duplicate: true });
    });

    it("acknowledges unreadable data with 200 so Pub/Sub stops", async () => {
      const response = await fetch(base, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message: { data: "%%%", messageId: "bad-1" } }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: "rejected" });
    });
  });
}
