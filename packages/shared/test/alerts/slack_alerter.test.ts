import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AlertCooldownStore } from "../../src/alerts/alert_cooldown_store";
import { OnceLatch } from "../../src/alerts/once_latch";
import { SlackAlerter } from "../../src/alerts/slack_alerter";
import { StormGuard } from "../../src/alerts/storm_guard";
import { WebhookPoster } from "../../src/alerts/webhook_poster";
import { memoryLogger } from "../../src/logging/logger";
import { startWebhookStandIn, type WebhookStandIn } from "../../src/testing/webhook_stand_in";
import { dualWriteAlert } from "./fixtures";
import { ManualTimers } from "./manual_timers";

describe("SlackAlerter", () => {
  let hook: WebhookStandIn;
  let timers: ManualTimers;
  let log: ReturnType<typeof memoryLogger>;

  beforeEach(async () => {
    hook = await startWebhookStandIn();
    timers = new ManualTimers();
    log = memoryLogger();
  });
  afterEach(() => hook.close());

  function alerter(store?: AlertCooldownStore): SlackAlerter {
    const time = { clock: timers.clock, timers };
    return new SlackAlerter({
      poster: new WebhookPoster({
        webhookUrl: hook.url,
        ...time,
        sleep: timers.sleep,
        latch: new OnceLatch(),
      }),
      guard: new StormGuard({ ...time, storeTimeoutMs: 1_000, ...(store ? { store } : {}) }),
      location: { projectId: "nba-props" },
      budgetMs: 3_000,
      clock: timers.clock,
      logger: log.logger,
    });
  }

  it("finishes within the budget when both the store and Slack hang", async () => {
    const hangingStore: AlertCooldownStore = {
      claim: () => new Promise(() => {}),
    };
    let settled = false;
    const done = alerter(hangingStore)
      .notify(dualWriteAlert())
      .then(() => {
        settled = true;
      });
    hook.setDefault("hang");
    await Promise.resolve();
    timers.advance(1_000); // the store timeout: the guard decides in process
    await hook.waitForPosts(1);
    timers.advance(1_999);
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    timers.advance(1); // 3,000 ms after the start: the post is abandoned
    await done;
    expect(log.entries()).toEqual([
      expect.objectContaining({ event: "alert_not_delivered", reason: "budget_exhausted" }),
    ]);
  });

  it("never rejects, even when something inside fails unexpectedly", async () => {
    const broken = alerter();
    (broken as unknown as { options: { guard: unknown } }).options.guard = {
      admit: () => {
        throw new TypeError("bug");
      },
    };
    await expect(broken.notify(dualWriteAlert())).resolves.toBeUndefined();
    expect(log.entries()[0]).toMatchObject({ event: "alert_internal_error" });
  });

  it("always sends the test alert, whatever the cooldown", async () => {
    const a = alerter();
    const test = dualWriteAlert({ kind: "test_alert", severity: "info" });
    await a.notify(test);
    await a.notify(test);
    expect(hook.posts).toHaveLength(2);
  });

  it("does not log a webhook rejection per alert: the poster logs it once", async () => {
    hook.setDefault("no_service");
    const a = alerter();
    await a.notify(dualWriteAlert({ gameDate: "2025-01-01" }));
    await a.notify(dualWriteAlert({ gameDate: "2025-01-02" }));
    expect(hook.posts).toHaveLength(2);
    expect(log.lines).toHaveLength(0);
  });
});
