import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { BigQueryBackupStore } from "../../src/backup/bigquery_backup_store";
import { createBigQueryClient } from "../../src/backup/bigquery_client";
import { route } from "../../src/http/orchestrator_app";
import { BigQueryStandIn } from "../../src/testing/bigquery_stand_in";
import { describeWithEmulators } from "../../src/testing/emulator_suite";
import { type OrchestratorFixture, orchestratorFixture } from "../support/orchestrator_fixture";

const ADMIN_TOKEN = "admin-token-0123456789abcdef";
const SLACK_URL = "https://hooks.slack.example/services/T000/B000/secretpart";
const GET_READY = { method: "GET", path: "/ready", query: {}, headers: {}, body: undefined };

describeWithEmulators("GET /ready on the emulators", () => {
  let standIn: BigQueryStandIn;
  let fx: OrchestratorFixture;

  beforeAll(async () => {
    standIn = await BigQueryStandIn.start();
  });
  afterEach(async () => {
    standIn.reset();
    await fx?.close();
  });
  afterAll(() => standIn.close());

  async function fixture(options: { completionTopic: boolean }) {
    const backup = new BigQueryBackupStore({
      bigquery: createBigQueryClient({ projectId: "orchestrator-local", apiEndpoint: standIn.url }),
      dataset: "nba_orchestration",
      completionsTable: "phase_completions",
      statusTable: "phase_completion_status",
      location: "US",
    });
    fx = await orchestratorFixture("phase3-to-phase4", {
      env: { ADMIN_TOKEN, SLACK_WEBHOOK_URL: SLACK_URL, READY_TIMEOUT_MS: "5000" },
      overrides: { backup },
    });
    if (options.completionTopic) {
      await fx.pubsub.createTopic(fx.orchestrator.config.completionTopic);
    }
    // The first call of a fresh client opens its channel; keep that out of the time limit.
    await fx.orchestrator.state.ping();
    return fx;
  }

  function expectNothingSecret(body: unknown) {
    const text = JSON.stringify(body);
    expect(text).not.toContain(ADMIN_TOKEN);
    expect(text).not.toContain("secretpart");
    expect(text).not.toMatch(/127\.0\.0\.1|localhost|:\d{4,5}\b|https?:\/\//);
    expect(text).not.toContain(String(new URL(standIn.url).port));
  }

  it("answers 200 with every dependency healthy", async () => {
    await fixture({ completionTopic: true });
    const reply = await route(fx.orchestrator, GET_READY);
    expect(reply.status).toBe(200);
    const body = reply.body as { status: string; dependencies: Record<string, { ok: boolean }> };
    expect(body.status).toBe("ready");
    expect(Object.keys(body.dependencies).sort()).toEqual([
      "bigquery",
      "firestore",
      "pubsub:nba-phase3-analytics-complete",
      "pubsub:nba-phase4-trigger",
    ]);
    expect(Object.values(body.dependencies).every((d) => d.ok)).toBe(true);
    expect(standIn.queries().map((q) => q.sql)).toEqual(["SELECT 1 AS ok"]);
    expectNothingSecret(body);
  });

  it("answers 503 naming BigQuery when it answers 500, without addresses or secrets", async () => {
    await fixture({ completionTopic: true });
    standIn.failNext(50, "server_error");
    const reply = await route(fx.orchestrator, GET_READY);
    expect(reply.status).toBe(503);
    const body = reply.body as {
      down: string[];
      dependencies: Record<string, { ok: boolean; error: string | null }>;
    };
    expect(body.down).toEqual(["bigquery"]);
    expect(body.dependencies.bigquery?.ok).toBe(false);
    expect(body.dependencies.bigquery?.error).toMatch(
      /^(bigquery_\w+|http 500|timeout after 5000 ms)$/,
    );
    expect(body.dependencies.firestore?.ok).toBe(true);
    expectNothingSecret(body);
    expect(fx.logs().some((l) => l.event === "not_ready")).toBe(true);
  });

  it("answers 503 naming a topic that does not exist", async () => {
    await fixture({ completionTopic: false });
    const reply = await route(fx.orchestrator, GET_READY);
    expect(reply.status).toBe(503);
    const body = reply.body as { down: string[]; dependencies: Record<string, { error: string }> };
    expect(body.down).toEqual(["pubsub:nba-phase3-analytics-complete"]);
    expect(body.dependencies["pubsub:nba-phase3-analytics-complete"]?.error).toBe(
      "topic_not_found",
    );
  });

  it("serves the cached answer for 30 s, then checks again", async () => {
    await fixture({ completionTopic: true });
    expect((await route(fx.orchestrator, GET_READY)).status).toBe(200);
    standIn.failNext(50, "server_error");
    const cached = await route(fx.orchestrator, GET_READY);
    expect(cached).toMatchObject({ status: 200, body: { cached: true } });
    fx.clock.advance(30_000);
    expect((await route(fx.orchestrator, GET_READY)).status).toBe(503);
  });
});
