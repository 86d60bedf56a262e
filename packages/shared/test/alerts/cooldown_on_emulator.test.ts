import { Firestore } from "@google-cloud/firestore";
import { afterAll, afterEach, beforeEach, expect, it } from "vitest";
import type { AlertInput } from "../../src/alerts/alert";
import { FirestoreCooldownStore } from "../../src/alerts/alert_cooldown_store";
import { fingerprintKey, fingerprintOf } from "../../src/alerts/alert_fingerprint";
import { OnceLatch } from "../../src/alerts/once_latch";
import { SlackAlerter } from "../../src/alerts/slack_alerter";
import { StormGuard } from "../../src/alerts/storm_guard";
import { WebhookPoster } from "../../src/alerts/webhook_poster";
import { describeWithEmulators, uniqueProjectId } from "../../src/testing/emulator_suite";
import { freePort } from "../../src/testing/emulators";
import { startWebhookStandIn, type WebhookStandIn } from "../../src/testing/webhook_stand_in";
import { dualWriteAlert } from "./fixtures";
import { ManualTimers } from "./manual_timers";

const COOLDOWN_MS = 15 * 60_000;
const clients: Firestore[] = [];

/**
 * One function instance: its own Firestore client and alerter, sharing project and clock.
 * `realTime` uses the wall clock, real timers and the production store timeout instead.
 */
function instance(projectId: string, hook: WebhookStandIn, timers: ManualTimers, realTime = false) {
  const firestore = new Firestore({ projectId });
  clients.push(firestore);
  const store = new FirestoreCooldownStore(firestore);
  const time = realTime ? {} : { clock: timers.clock, timers };
  const guard = new StormGuard({
    store,
    cooldownMinutes: 15,
    ...time,
    // With fake timers the store timeout only fires when the test moves time.
    ...(realTime ? {} : { storeTimeoutMs: 60_000 }),
  });
  const poster = new WebhookPoster({
    webhookUrl: hook.url,
    ...time,
    ...(realTime ? {} : { sleep: timers.sleep }),
    latch: new OnceLatch(),
  });
  const alerter = new SlackAlerter({
    poster,
    guard,
    location: { projectId: "nba-props", region: "us-west2" },
    budgetMs: 3_000,
    ...(realTime ? {} : { clock: timers.clock }),
  });
  return { firestore, store, alerter };
}

function suppressedIn(post: { body: unknown }): number {
  const match = /(\d+) suppressed/.exec((post.body as { text: string }).text);
  return match ? Number(match[1]) : 0;
}

describeWithEmulators("alert cooldown shared through Firestore", () => {
  let hook: WebhookStandIn;
  let timers: ManualTimers;
  let projectId: string;

  beforeEach(async () => {
    hook = await startWebhookStandIn();
    timers = new ManualTimers();
    projectId = uniqueProjectId("alerts");
  });
  afterEach(() => hook.close());
  afterAll(() => Promise.all(clients.map((c) => c.terminate())));

  it("sends one post for 200 identical failures in a burst across two instances", async () => {
    const a = instance(projectId, hook, timers);
    const b = instance(projectId, hook, timers);
    const burst = Array.from({ length: 200 }, (_, i) =>
      (i % 2 === 0 ? a : b).alerter.send(dualWriteAlert({ messageId: `m-${i}` })),
    );
    const outcomes = await Promise.all(burst);
    expect(outcomes.filter((o) => o.status === "sent")).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === "suppressed")).toHaveLength(199);
    expect(hook.posts).toHaveLength(1);
    const doc = await a.firestore
      .collection("alert_cooldowns")
      .doc(fingerprintKey(fingerprintOf(dualWriteAlert())))
      .get();
    expect(doc.get("functionName")).toBe("phase3-to-phase4");
    expect(doc.get("gameDate")).toBe("2025-01-14");
  });

  it("sends at most 2 posts for a burst across two instances with real time and defaults", async () => {
    const a = instance(projectId, hook, timers, true);
    const b = instance(projectId, hook, timers, true);
    const startedMs = performance.now();
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).alerter.notify(dualWriteAlert())),
    );
    const tookMs = performance.now() - startedMs;
    expect(hook.posts.length).toBeGreaterThanOrEqual(1);
    expect(hook.posts.length).toBeLessThanOrEqual(2);
    // Every notify finished within the 3 s budget (plus generous scheduling slack).
    expect(tookMs).toBeLessThan(6_000);
  });

  it("reports every suppressed alert, across instances, in the alerts after the cooldown", async () => {
    const a = instance(projectId, hook, timers);
    const b = instance(projectId, hook, timers);
    const fire = (count: number) =>
      Promise.all(
        Array.from({ length: count }, (_, i) =>
          (i % 2 === 0 ? a : b).alerter.send(dualWriteAlert()),
        ),
      );
    await fire(200);
    timers.advance(COOLDOWN_MS);
    // One alert on each instance after the window: the first goes out and reports the count
    // the store knows; the second is held and hands over what its instance held back.
    expect((await a.alerter.send(dualWriteAlert())).status).toBe("sent");
    expect((await b.alerter.send(dualWriteAlert())).status).toBe("suppressed");
    timers.advance(COOLDOWN_MS);
    expect((await a.alerter.send(dualWriteAlert())).status).toBe("sent");
    expect(hook.posts).toHaveLength(3);
    const reported = hook.posts.map(suppressedIn);
    expect(reported[0]).toBe(0);
    // 199 held in the burst + 1 held after the first cooldown = 200, none lost.
    expect((reported[1] ?? 0) + (reported[2] ?? 0)).toBe(200);
  });

  it("does not hold back the next occurrence when the alert before it never reached Slack", async () => {
    const a = instance(projectId, hook, timers);
    const b = instance(projectId, hook, timers);
    hook.replyWith("no_service");
    expect((await a.alerter.send(dualWriteAlert())).status).toBe("failed");
    expect((await a.alerter.send(dualWriteAlert())).status).toBe("sent");
    // The window the delivered alert opened holds on every instance.
    expect((await b.alerter.send(dualWriteAlert())).status).toBe("suppressed");
    expect(hook.posts).toHaveLength(2);
  });

  it("reports the exact suppressed count on the next alert when one instance saw them all", async () => {
    const a = instance(projectId, hook, timers);
    await Promise.all(Array.from({ length: 200 }, () => a.alerter.send(dualWriteAlert())));
    timers.advance(COOLDOWN_MS - 1);
    expect((await a.alerter.send(dualWriteAlert())).status).toBe("suppressed");
    timers.advance(1);
    expect(await a.alerter.send(dualWriteAlert())).toMatchObject({
      status: "sent",
      suppressedCount: 200,
    });
    expect(suppressedIn(hook.posts[1] as { body: unknown })).toBe(200);
  });

  it("lets exactly one of many racing claims send, straight on the store", async () => {
    const stores = [
      instance(projectId, hook, timers).store,
      instance(projectId, hook, timers).store,
    ];
    const alert: AlertInput = dualWriteAlert();
    const now = timers.clock.now();
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (stores[i % 2] as FirestoreCooldownStore).claim(fingerprintOf(alert), now, COOLDOWN_MS, 0),
      ),
    );
    expect(claims.filter((c) => c.send)).toHaveLength(1);
    // At the end of the window the racers meet in a transaction: again exactly one wins.
    const later = new Date(now.getTime() + COOLDOWN_MS);
    const next = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (stores[i % 2] as FirestoreCooldownStore).claim(
          fingerprintOf(alert),
          later,
          COOLDOWN_MS,
          0,
        ),
      ),
    );
    expect(next.filter((c) => c.send)).toEqual([
      { send: true, suppressedCount: 5, previousSentAt: now },
    ]);
  });

  it("still sends, saying so, when Firestore cannot be reached", async () => {
    const emulatorHost = process.env.FIRESTORE_EMULATOR_HOST;
    // The client reads the emulator address when it is built: point one at a dead port.
    process.env.FIRESTORE_EMULATOR_HOST = `127.0.0.1:${await freePort()}`;
    const unreachable = new Firestore({ projectId });
    process.env.FIRESTORE_EMULATOR_HOST = emulatorHost;
    // Not terminated: terminate() waits for the create() that keeps retrying a dead port.
    const alerter = new SlackAlerter({
      poster: new WebhookPoster({ webhookUrl: hook.url, latch: new OnceLatch() }),
      guard: new StormGuard({
        store: new FirestoreCooldownStore(unreachable),
        storeTimeoutMs: 300,
      }),
      location: { projectId: "nba-props" },
      budgetMs: 3_000,
    });
    const startedMs = performance.now();
    expect(await alerter.send(dualWriteAlert())).toMatchObject({ status: "sent" });
    expect(performance.now() - startedMs).toBeLessThan(3_000);
    expect(JSON.stringify(hook.posts[0]?.body)).toContain("cooldown store unavailable");
    // Repeats are then held by this instance alone.
    expect(await alerter.send(dualWriteAlert())).toEqual({ status: "suppressed" });
    expect(hook.posts).toHaveLength(1);
  });
});
