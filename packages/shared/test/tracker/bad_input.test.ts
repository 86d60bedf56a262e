import { afterEach, expect, it } from "vitest";
import { route } from "../../src/http/orchestrator_app";
import { describeWithEmulators } from "../../src/testing/emulator_suite";
import {
  type OrchestratorFixture,
  orchestratorFixture,
  pushRequestWithData,
  readJsonLines,
} from "../support/orchestrator_fixture";

const bad = readJsonLines<{ case: string; data: string }>("bad-messages.jsonl");

describeWithEmulators("bad input", () => {
  let fx: OrchestratorFixture;
  afterEach(async () => fx?.close());

  it("acknowledges every bad fixture message, logs why, and writes nothing", async () => {
    fx = await orchestratorFixture("phase3-to-phase4");
    for (const [i, line] of bad.entries()) {
      const reply = await route(fx.orchestrator, pushRequestWithData(line.data, `bad-${i}`));
      expect(reply.status, line.case).toBe(200);
      expect(reply.body, line.case).toMatchObject({ status: "rejected" });
    }
    const poison = fx.logs().filter((l) => l.event === "poison_message");
    expect(poison).toHaveLength(bad.length);
    for (const entry of poison) {
      expect(entry.severity).toBe("ERROR");
      expect(typeof entry.reason).toBe("string");
      expect(String(entry.excerpt ?? "").length).toBeLessThan(260);
    }
    const written = await fx.firestore.collectionGroup("deliveries").get();
    expect(written.size).toBe(0);
    expect((await fx.firestore.collection("phase3_completion").get()).size).toBe(0);
    expect(await fx.triggers()).toHaveLength(0);
  });

  it("answers 400 to a request that is not a Pub/Sub delivery at all", async () => {
    fx = await orchestratorFixture("phase3-to-phase4");
    const reply = await route(fx.orchestrator, {
      method: "POST",
      path: "/",
      query: {},
      headers: { "content-type": "application/json" },
      body: { hello: "world" },
    });
    expect(reply.status).toBe(400);
  });

  it("drops a message published longer ago than the age limit", async () => {
    fx = await orchestratorFixture("phase3-to-phase4", { env: { MAX_MESSAGE_AGE_HOURS: "1" } });
    const request = pushRequestWithData(
      Buffer.from(
        JSON.stringify({ processor_name: "player_game_summary", game_date: "2026-01-27" }),
      ).toString("base64"),
      "old",
    );
    (request.body as { message: { publishTime: string } }).message.publishTime =
      "2026-01-28T09:00:00Z";
    const reply = await route(fx.orchestrator, request);
    expect(reply.status).toBe(200);
    expect(fx.logs().some((l) => l.event === "stale_message")).toBe(true);
    expect((await fx.firestore.collectionGroup("deliveries").get()).size).toBe(0);
  });

  it("refuses a game date far in the future or before 2000 as malformed", async () => {
    fx = await orchestratorFixture("phase3-to-phase4", { now: "2026-01-27T12:00:00Z" });
    for (const date of ["2099-12-31", "2026-02-04", "1970-01-01"]) {
      const reply = await fx.send({
        processor_name: "upcoming_player_game_context",
        game_date: date,
      });
      expect(reply.body, date).toMatchObject({ status: "rejected" });
    }
    const ok = await fx.send({
      processor_name: "upcoming_player_game_context",
      game_date: "2026-01-28",
    });
    expect(ok.status).toBe(200);
    expect((await fx.firestore.collectionGroup("deliveries").get()).size).toBe(1);
  });

  it("refuses a body over the size limit with 413", async () => {
    fx = await orchestratorFixture("phase3-to-phase4");
    const reply = await route(fx.orchestrator, {
      method: "POST",
      path: "/",
      query: {},
      headers: { "content-length": String(2 * 1024 * 1024) },
      body: {},
    });
    expect(reply.status).toBe(413);
  });
});
