import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OnceLatch } from "../../src/alerts/once_latch";
import { WebhookPoster, type WebhookPosterOptions } from "../../src/alerts/webhook_poster";
import { memoryLogger } from "../../src/logging/logger";
import { startWebhookStandIn, type WebhookStandIn } from "../../src/testing/webhook_stand_in";
import { ManualTimers } from "./manual_timers";

const PAYLOAD = { text: "hello" };

describe("WebhookPoster", () => {
  let hook: WebhookStandIn;
  let timers: ManualTimers;
  let log: ReturnType<typeof memoryLogger>;

  beforeEach(async () => {
    hook = await startWebhookStandIn();
    timers = new ManualTimers();
    log = memoryLogger();
  });
  afterEach(() => hook.close());

  function poster(overrides: Partial<WebhookPosterOptions> = {}): WebhookPoster {
    return new WebhookPoster({
      webhookUrl: hook.url,
      clock: timers.clock,
      timers,
      sleep: timers.sleep,
      random: () => 0.5,
      logger: log.logger,
      latch: new OnceLatch(),
      ...overrides,
    });
  }

  it("delivers on 200 with one post carrying the JSON payload", async () => {
    const outcome = await poster().post(PAYLOAD);
    expect(outcome).toEqual({ delivered: true, attempts: 1 });
    expect(hook.posts).toHaveLength(1);
    expect(hook.posts[0]?.body).toEqual(PAYLOAD);
    expect(hook.posts[0]?.headers["content-type"]).toContain("application/json");
  });

  it("waits for Retry-After on 429 when it fits in the budget, then delivers", async () => {
    hook.replyWith({ retryAfterSeconds: 1 });
    const outcome = await poster().post(PAYLOAD);
    expect(outcome).toEqual({ delivered: true, attempts: 2 });
    expect(timers.sleeps).toEqual([1_000]);
    expect(hook.posts.map((p) => p.reply)).toEqual([{ retryAfterSeconds: 1 }, "ok"]);
  });

  it("gives up at once on 429 whose Retry-After would outlast the budget", async () => {
    hook.replyWith({ retryAfterSeconds: 30 });
    const outcome = await poster({ budgetMs: 3_000 }).post(PAYLOAD);
    expect(outcome).toMatchObject({ delivered: false, reason: "budget_exhausted", status: 429 });
    expect(timers.sleeps).toEqual([]);
    expect(hook.posts).toHaveLength(1);
  });

  it("retries 500 with jittered backoff, then delivers", async () => {
    hook.replyWith("server_error", "server_error");
    const outcome = await poster({ baseDelayMs: 200 }).post(PAYLOAD);
    expect(outcome).toEqual({ delivered: true, attempts: 3 });
    // random() = 0.5 → half of 200 · 2^(attempt-1)
    expect(timers.sleeps).toEqual([100, 200]);
  });

  it("stops retrying 5xx when the budget is spent", async () => {
    hook.setDefault("server_error");
    const outcome = await poster({ budgetMs: 1_000, random: () => 0.99, maxAttempts: 50 }).post(
      PAYLOAD,
    );
    expect(outcome).toMatchObject({ delivered: false, reason: "budget_exhausted", status: 500 });
    const waitedMs = timers.sleeps.reduce((a, b) => a + b, 0);
    expect(waitedMs).toBeLessThan(1_000);
    expect(hook.posts.length).toBe(timers.sleeps.length + 1);
  });

  it("does not retry 404 no_service and logs it once per latch, without the URL", async () => {
    hook.setDefault("no_service");
    const p = poster();
    const first = await p.post(PAYLOAD);
    const second = await p.post(PAYLOAD);
    expect(first).toMatchObject({
      delivered: false,
      reason: "rejected",
      status: 404,
      slackError: "no_service",
    });
    expect(second).toMatchObject({ reason: "rejected", attempts: 1 });
    expect(hook.posts).toHaveLength(2);
    const rejected = log.entries().filter((e) => e.event === "alert_webhook_rejected");
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ severity: "ERROR", status: 404, slackError: "no_service" });
    expect(log.lines.join("\n")).not.toContain(hook.url);
    expect(log.lines.join("\n")).not.toContain("/services/");
  });

  it("does not retry 400 invalid_payload", async () => {
    hook.setDefault("invalid_payload");
    const outcome = await poster().post(PAYLOAD);
    expect(outcome).toMatchObject({
      reason: "rejected",
      status: 400,
      slackError: "invalid_payload",
    });
    expect(hook.posts).toHaveLength(1);
  });

  it("resolves when the budget runs out on a server that never answers (fake time)", async () => {
    hook.setDefault("hang");
    let settled = false;
    const result = poster({ budgetMs: 3_000 })
      .post(PAYLOAD)
      .finally(() => {
        settled = true;
      });
    await hook.waitForPosts(1);
    timers.advance(2_999);
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    timers.advance(1);
    expect(await result).toMatchObject({
      delivered: false,
      reason: "budget_exhausted",
      attempts: 1,
    });
    expect(timers.pendingCount).toBe(0);
  });

  it("resolves near a short real budget on a server that never answers (real timers)", async () => {
    hook.setDefault("hang");
    const real = new WebhookPoster({ webhookUrl: hook.url, budgetMs: 300, latch: new OnceLatch() });
    const startedMs = performance.now();
    const outcome = await real.post(PAYLOAD);
    const tookMs = performance.now() - startedMs;
    expect(outcome).toMatchObject({ delivered: false, reason: "budget_exhausted" });
    expect(tookMs).toBeGreaterThanOrEqual(250);
    // Generous ceiling: only a budget that is not enforced at all would come near it.
    expect(tookMs).toBeLessThan(2_500);
  });

  it("retries network errors and reports only the error code", async () => {
    const url = hook.url;
    await hook.close();
    const outcome = await poster({ webhookUrl: url, maxAttempts: 3 }).post(PAYLOAD);
    expect(outcome).toMatchObject({
      delivered: false,
      reason: "attempts_exhausted",
      attempts: 3,
      networkError: "ECONNREFUSED",
    });
    expect(JSON.stringify(outcome)).not.toContain("127.0.0.1");
  });
});
