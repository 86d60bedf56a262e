import type { Server } from "node:http";
import { http } from "@google-cloud/functions-framework";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { HttpRequest } from "../../src/http/http_types";
import { httpHandler, route } from "../../src/http/orchestrator_app";
import { decodeCompletion } from "../../src/messages/decode_completion";
import { parseEnvelope } from "../../src/messages/pubsub_envelope";
import { describeWithEmulators } from "../../src/testing/emulator_suite";
import { type OrchestratorFixture, orchestratorFixture } from "../support/orchestrator_fixture";
import { anyValue, contentType, deeplyNested, requestBody } from "./arbitraries";

/** Fixed, printed, so that a failure is replayed with the same inputs. */
const SEED = 20_261_204;
const ROUTE_RUNS = 400;
const SERVER_RUNS = 80;

/** True when the request could be recorded: such inputs are not what this fuzzing is about. */
function couldBeValid(request: HttpRequest): boolean {
  try {
    decodeCompletion(parseEnvelope(request).encodedData);
    return true;
  } catch {
    return false;
  }
}

describeWithEmulators("fuzzed deliveries", () => {
  let fx: OrchestratorFixture;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    // A lower limit than the 1 MB default, so the huge strings also cross it sometimes.
    fx = await orchestratorFixture("phase3-to-phase4", { env: { MAX_BODY_BYTES: "200000" } });
    http("fuzzPhase3ToPhase4", httpHandler(fx.orchestrator));
    server = getTestServer("fuzzPhase3ToPhase4");
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await fx?.close();
  });

  it("never throws, never answers 5xx and never writes for input that cannot become valid", async () => {
    process.stdout.write(`[fuzz] route(): seed=${SEED} numRuns=${ROUTE_RUNS}\n`);
    let skippedValid = 0;
    const statuses: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(
        requestBody,
        contentType,
        fc.option(fc.string()),
        async (body, type, ceId) => {
          const headers: HttpRequest["headers"] = { "content-type": type };
          if (ceId !== null) headers["ce-id"] = ceId;
          const raw = Buffer.from(JSON.stringify(body) ?? "");
          const request: HttpRequest = {
            method: "POST",
            path: "/",
            query: {},
            headers,
            body,
            rawBody: raw,
          };
          if (couldBeValid(request)) {
            skippedValid += 1;
            return;
          }
          const reply = await route(fx.orchestrator, request);
          statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
          if (raw.length > fx.orchestrator.config.maxBodyBytes) expect(reply.status).toBe(413);
          else expect([200, 400]).toContain(reply.status);
          if (reply.status === 200) expect(reply.body).toMatchObject({ status: "rejected" });
        },
      ),
      { seed: SEED, numRuns: ROUTE_RUNS },
    );
    process.stdout.write(
      `[fuzz] route(): answers ${JSON.stringify(statuses)}; ${skippedValid} valid inputs skipped\n`,
    );
    // Each kind of refusal was reached, so the generators are not stuck on one path.
    expect(statuses[200]).toBeGreaterThan(ROUTE_RUNS / 10);
    expect(statuses[400]).toBeGreaterThan(ROUTE_RUNS / 10);
    expect(statuses[413]).toBeGreaterThan(0);
    expect((await fx.firestore.collectionGroup("deliveries").get()).size).toBe(0);
    expect((await fx.firestore.collection(fx.orchestrator.config.collection).get()).size).toBe(0);
    expect(await fx.triggers()).toHaveLength(0);
  }, 120_000);

  it("answers every raw body through the Functions Framework with a non-5xx and writes nothing", async () => {
    process.stdout.write(`[fuzz] framework server: seed=${SEED} numRuns=${SERVER_RUNS}\n`);
    const rawBody = fc.oneof(
      fc.uint8Array({ maxLength: 2_000 }).map((b) => Buffer.from(b)),
      fc.string({ unit: "grapheme", maxLength: 200 }).map((s) => Buffer.from(s)),
      anyValue.map((v) => Buffer.from((JSON.stringify(v) ?? "").slice(0, -1))),
      deeplyNested.map((v) =>
        Buffer.from(JSON.stringify({ message: { data: v, messageId: "x" } })),
      ),
    );
    await fc.assert(
      fc.asyncProperty(rawBody, contentType, async (bytes, type) => {
        const response = await fetch(base, {
          method: "POST",
          headers: type ? { "content-type": type } : {},
          body: bytes,
        });
        await response.arrayBuffer();
        expect(response.status).toBeLessThan(500);
      }),
      { seed: SEED, numRuns: SERVER_RUNS },
    );
    expect((await fx.firestore.collectionGroup("deliveries").get()).size).toBe(0);
  }, 120_000);
});
