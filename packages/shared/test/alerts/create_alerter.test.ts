import { Firestore } from "@google-cloud/firestore";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentAlerter } from "../../src/alerts/alert";
import { readAlertSettings } from "../../src/alerts/alert_settings";
import { createAlerter } from "../../src/alerts/create_alerter";
import { memoryLogger } from "../../src/logging/logger";
import { describeWithEmulators, uniqueProjectId } from "../../src/testing/emulator_suite";
import { freePort } from "../../src/testing/emulators";
import { startWebhookStandIn, type WebhookStandIn } from "../../src/testing/webhook_stand_in";
import { dualWriteAlert } from "./fixtures";

describe("readAlertSettings", () => {
  it("uses the defaults when nothing is set", () => {
    expect(readAlertSettings({})).toEqual({
      settings: {
        enabled: true,
        webhookUrl: undefined,
        cooldownMinutes: 15,
        budgetMs: 3_000,
        cooldownCollection: "alert_cooldowns",
        projectId: undefined,
        region: undefined,
      },
      problems: [],
    });
  });

  it("reads every setting and switches alerts off with ALERTS_ENABLED=false", () => {
    const { settings, problems } = readAlertSettings({
      ALERTS_ENABLED: "False",
      SLACK_WEBHOOK_URL: " https://hooks.slack.com/services/T/B/x ",
      ALERT_COOLDOWN_MINUTES: "5",
      ALERT_BUDGET_MS: "1500",
      GOOGLE_CLOUD_PROJECT: "nba-props",
      FUNCTION_REGION: "us-west2",
    });
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({
      enabled: false,
      webhookUrl: "https://hooks.slack.com/services/T/B/x",
      cooldownMinutes: 5,
      budgetMs: 1_500,
      projectId: "nba-props",
      region: "us-west2",
    });
  });

  it("keeps defaults and reports bad values without quoting the webhook URL", () => {
    const { settings, problems } = readAlertSettings({
      ALERTS_ENABLED: "maybe",
      ALERT_COOLDOWN_MINUTES: "soon",
      ALERT_BUDGET_MS: "-1",
      SLACK_WEBHOOK_URL: "hooks.slack.com/services/T/B/secret-part",
    });
    expect(settings).toMatchObject({ enabled: true, cooldownMinutes: 15, budgetMs: 3_000 });
    expect(settings.webhookUrl).toBeUndefined();
    expect(problems).toHaveLength(4);
    expect(problems.join("\n")).not.toContain("secret-part");
  });
});

describe("createAlerter", () => {
  let hook: WebhookStandIn;
  beforeEach(async () => {
    hook = await startWebhookStandIn();
  });
  afterEach(() => hook.close());

  it("returns the silent alerter and posts nothing when ALERTS_ENABLED=false", async () => {
    const log = memoryLogger();
    const alerter = createAlerter({
      env: { ALERTS_ENABLED: "false", SLACK_WEBHOOK_URL: hook.url },
      logger: log.logger,
    });
    expect(alerter).toBe(silentAlerter);
    await alerter.notify(dualWriteAlert());
    expect(hook.posts).toHaveLength(0);
    expect(log.entries().map((e) => e.event)).toEqual(["alerts_disabled"]);
  });

  it("warns once at start and stays silent when SLACK_WEBHOOK_URL is unset", async () => {
    const log = memoryLogger();
    const alerter = createAlerter({ env: {}, logger: log.logger });
    expect(alerter).toBe(silentAlerter);
    await alerter.notify(dualWriteAlert());
    await alerter.notify(dualWriteAlert());
    expect(log.entries()).toEqual([
      expect.objectContaining({ severity: "WARNING", event: "alert_webhook_missing" }),
    ]);
  });
});

describeWithEmulators("createAlerter with the Firestore emulator", () => {
  let hook: WebhookStandIn;
  const clients: Firestore[] = [];
  beforeEach(async () => {
    hook = await startWebhookStandIn();
  });
  afterEach(() => hook.close());
  afterAll(() => Promise.all(clients.map((c) => c.terminate())));

  function alerterFor(env: NodeJS.ProcessEnv) {
    const log = memoryLogger();
    const firestore = new Firestore({ projectId: uniqueProjectId("alerts") });
    clients.push(firestore);
    const alerter = createAlerter({ env, logger: log.logger, firestore });
    return { alerter, log };
  }

  it("sends a Block Kit alert with the settings from the environment", async () => {
    const { alerter } = alerterFor({
      SLACK_WEBHOOK_URL: hook.url,
      GOOGLE_CLOUD_PROJECT: "nba-props",
      FUNCTION_REGION: "us-west2",
    });
    await alerter.notify(dualWriteAlert());
    await alerter.notify(dualWriteAlert());
    expect(hook.posts).toHaveLength(1);
    const body = JSON.stringify(hook.posts[0]?.body);
    expect(body).toContain("console.cloud.google.com/logs/query");
    expect(body).toContain("project=nba-props");
  });

  it("never writes the webhook URL to the log, whatever goes wrong", async () => {
    const { alerter, log } = alerterFor({ SLACK_WEBHOOK_URL: hook.url, ALERT_BUDGET_MS: "400" });
    const scenarios = [
      "no_service",
      "invalid_payload",
      "invalid_token",
      "server_error",
      "hang",
    ] as const;
    for (const [i, reply] of scenarios.entries()) {
      hook.setDefault(reply);
      // A new date each time, so that the cooldown lets every scenario through.
      await alerter.notify(dualWriteAlert({ gameDate: `2025-01-0${i + 1}`, message: reply }));
    }
    const deadUrl = `http://127.0.0.1:${await freePort()}/services/T/B/another-secret`;
    const dead = alerterFor({ SLACK_WEBHOOK_URL: deadUrl, ALERT_BUDGET_MS: "400" });
    await dead.alerter.notify(dualWriteAlert());

    const events = [...log.entries(), ...dead.log.entries()].map((e) => e.event);
    expect(events).toContain("alert_webhook_rejected");
    expect(events).toContain("alert_not_delivered");
    const everything = [...log.lines, ...dead.log.lines].join("\n");
    for (const secret of [
      hook.url,
      deadUrl,
      "/services/",
      "s3cr3tWebhookToken",
      "another-secret",
    ]) {
      expect(everything).not.toContain(secret);
    }
    // Nothing even needed redacting: the URL never reached a log call.
    expect(everything).not.toContain("[redacted]");
  });
});
