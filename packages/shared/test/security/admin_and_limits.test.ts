import { afterAll, beforeAll, expect, it } from "vitest";
import { ROUTES } from "../../src/http/orchestrator_app";
import { describeWithEmulators } from "../../src/testing/emulator_suite";
import { type OrchestratorFixture, orchestratorFixture } from "../support/orchestrator_fixture";
import { serveThroughFramework } from "./framework_server";

const ADMIN_TOKEN = "security-admin-token-0123456789abcdef";
/** Routes anyone may call: Pub/Sub's push endpoint and the read-only operator pages. */
const OPEN_ROUTES = new Set(["POST /", "GET /health", "GET /status", "GET /ready"]);
/** Every other route is an admin route (sweep today; retrigger and replay when they land). */
const ADMIN_ROUTES = ROUTES.filter((r) => !OPEN_ROUTES.has(`${r.method} ${r.path}`));
const ONE_MB = 1_048_576;

describeWithEmulators("admin routes and body limits through the Functions Framework", () => {
  let fx: OrchestratorFixture;
  let server: { base: string; close: () => Promise<void> };
  beforeAll(async () => {
    fx = await orchestratorFixture("phase3-to-phase4", { env: { ADMIN_TOKEN } });
    server = await serveThroughFramework(fx.orchestrator);
  });
  afterAll(async () => {
    await server?.close();
    await fx?.close();
  });

  it("has at least the sweep among the admin routes", () => {
    expect(ADMIN_ROUTES.map((r) => r.path)).toContain("/sweep");
  });

  for (const adminRoute of ADMIN_ROUTES) {
    const call = (authorization?: string) =>
      fetch(`${server.base}${adminRoute.path}`, {
        method: adminRoute.method,
        headers: {
          "content-type": "application/json",
          ...(authorization !== undefined && { authorization }),
        },
        ...(adminRoute.method === "POST" && { body: "{}" }),
      });

    it(`refuses ${adminRoute.method} ${adminRoute.path} without a token (401)`, async () => {
      expect((await call()).status).toBe(401);
      expect((await call("Bearer ")).status).toBe(401);
      expect((await call(`Basic ${ADMIN_TOKEN}`)).status).toBe(401);
    });

    it(`refuses ${adminRoute.method} ${adminRoute.path} with a wrong token (403)`, async () => {
      for (const wrong of [
        `${ADMIN_TOKEN}x`,
        ADMIN_TOKEN.slice(0, -1),
        ADMIN_TOKEN.toUpperCase(),
      ]) {
        const response = await call(`Bearer ${wrong}`);
        expect(response.status).toBe(403);
        expect(await response.text()).not.toContain(ADMIN_TOKEN.slice(0, 20));
      }
    });

    it(`lets ${adminRoute.method} ${adminRoute.path} through with the configured token`, async () => {
      const status = (await call(`Bearer ${ADMIN_TOKEN}`)).status;
      expect([401, 403]).not.toContain(status);
    });
  }

  it("refuses a body over 1 MB with 413 (the framework itself accepts up to 1024 MB)", async () => {
    const response = await fetch(server.base, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: { data: "a".repeat(ONE_MB), messageId: "big" } }),
    });
    expect(response.status).toBe(413);
    expect((await fx.firestore.collectionGroup("deliveries").get()).size).toBe(0);
  });

  it("refuses a non-JSON body over 1 MB with 413 too", async () => {
    const response = await fetch(server.base, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: new Uint8Array(ONE_MB + 1),
    });
    expect(response.status).toBe(413);
  });

  it("still reads a body just under the limit", async () => {
    const response = await fetch(server.base, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: { data: "a".repeat(ONE_MB - 200), messageId: "near" } }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "rejected" });
  });
});
