import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { deliveryDocId } from "../../src/state/delivery_doc_id";
import { BigQueryStandIn } from "../../src/testing/bigquery_stand_in";
import { describeWithEmulators } from "../../src/testing/emulator_suite";
import { startWebhookStandIn, type WebhookStandIn } from "../../src/testing/webhook_stand_in";
import {
  type OrchestratorFixture,
  orchestratorFixture,
  readJsonLines,
} from "../support/orchestrator_fixture";
import { serveThroughFramework } from "./framework_server";

const ADMIN_TOKEN = "admin-token-NEVER-IN-OUTPUT-5c1d9e";
const bad = readJsonLines<{ case: string; data: string }>("bad-messages.jsonl");
const INJECTION_CASES = ["quote and SQL in name", "path characters in name"];
/** Names the schema accepts although they look like paths or special keys. */
const WEIRD_VALID_NAMES = ["..", "...", "__proto__", "__name__", "a.b.c", "-", "x--y..z"];

describeWithEmulators("secrets, injection and paths", () => {
  let slack: WebhookStandIn;
  let bigquery: BigQueryStandIn;
  let fx: OrchestratorFixture;
  let server: { base: string; close: () => Promise<void> };
  const bodies: string[] = [];

  beforeAll(async () => {
    [slack, bigquery] = await Promise.all([startWebhookStandIn(), BigQueryStandIn.start()]);
  });
  afterAll(async () => Promise.all([slack?.close(), bigquery?.close()]));
  afterEach(async () => {
    await server?.close();
    await fx?.close();
  });

  async function start(): Promise<void> {
    fx = await orchestratorFixture("phase3-to-phase4", {
      env: {
        ADMIN_TOKEN,
        SLACK_WEBHOOK_URL: slack.url,
        BACKUP_KIND: "bigquery",
        BIGQUERY_API_ENDPOINT: bigquery.url,
      },
      overrides: { backup: undefined },
    });
    server = await serveThroughFramework(fx.orchestrator);
  }

  async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${server.base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    bodies.push(text);
    return { status: response.status, text };
  }

  const push = (data: string, messageId: string) => ({
    message: { data, messageId, publishTime: new Date().toISOString() },
    subscription: "projects/p/subscriptions/s",
  });
  const encode = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString("base64");

  it("never prints the webhook URL or the admin token, in logs or answers, whatever fails", async () => {
    await start();
    // Slack refuses, then hangs: the alerter reports its own trouble in the logs.
    slack.replyWith("no_service", "server_error", "invalid_token");
    for (const [i, line] of bad.slice(0, 6).entries()) await post("/", push(line.data, `p-${i}`));
    bigquery.failNext(4, "access_denied");
    await post(
      "/",
      push(encode({ processor_name: "player_game_summary", game_date: "2026-01-27" }), "ok-1"),
    );
    await post("/sweep", {}, { authorization: `Bearer ${ADMIN_TOKEN}wrong` });
    await post("/sweep", {}, { authorization: `Bearer ${ADMIN_TOKEN}` });
    await post("/", { not: "a delivery", token: ADMIN_TOKEN.slice(0, 10) });
    for (const path of ["/health", "/status", "/ready"]) {
      bodies.push(await (await fetch(`${server.base}${path}`)).text());
    }
    const secretPart = new URL(slack.url).pathname;
    const everything = [...fx.logLines, ...bodies].join("\n");
    expect(fx.logLines.length).toBeGreaterThan(5);
    expect(everything).not.toContain(ADMIN_TOKEN);
    expect(everything).not.toContain(slack.url);
    expect(everything).not.toContain(secretPart);
    expect(everything).not.toContain("s3cr3tWebhookToken");
  });

  it("refuses the SQL and path injection fixtures: nothing stored, no query sent", async () => {
    await start();
    bigquery.reset();
    for (const name of INJECTION_CASES) {
      const line = bad.find((l) => l.case === name);
      expect(line, name).toBeDefined();
      const reply = await post("/", push(line?.data ?? "", `inj-${name}`));
      expect(reply.status, name).toBe(200);
      expect(reply.text, name).toContain('"rejected"');
    }
    expect((await fx.firestore.collectionGroup("deliveries").get()).size).toBe(0);
    expect(bigquery.queries()).toHaveLength(0);
  });

  it("stores weird but valid names verbatim in fields, never in a path or the SQL text", async () => {
    await start();
    bigquery.reset();
    const date = "2026-01-27";
    const messageId = "../../phase3_completion/2026-01-27/x";
    for (const [i, name] of WEIRD_VALID_NAMES.entries()) {
      const reply = await post(
        "/",
        push(encode({ processor_name: name, game_date: date }), `${messageId}${i}`),
      );
      expect(reply.status, name).toBe(200);
    }
    const collection = fx.orchestrator.config.collection;
    const docs = await fx.firestore.collection(`${collection}/${date}/deliveries`).get();
    expect(docs.docs.map((d) => d.get("reportedName")).sort()).toEqual(
      [...WEIRD_VALID_NAMES].sort(),
    );
    for (const [i] of WEIRD_VALID_NAMES.entries()) {
      expect(docs.docs.map((d) => d.id)).toContain(deliveryDocId(`${messageId}${i}`));
    }
    // The only documents of the collection are the date's (its trigger, if any).
    const top = await fx.firestore.collection(collection).listDocuments();
    expect(top.map((d) => d.id).every((id) => id === date)).toBe(true);
    const queries = bigquery.queries();
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) {
      for (const name of WEIRD_VALID_NAMES.filter((n) => n.length > 3)) {
        expect(query.sql).not.toContain(name);
      }
      expect(query.sql).not.toContain(date);
    }
    const sent = queries.flatMap((q) =>
      Object.values(q.params).map((p) => JSON.stringify(p.value)),
    );
    expect(sent.some((v) => v.includes("__proto__"))).toBe(true);
  });
});
