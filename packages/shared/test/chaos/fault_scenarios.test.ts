import { afterAll, beforeAll, expect, it } from "vitest";
import { TRANSITIONS } from "../../src/config/transition_defaults";
import { CHAOS_ADMIN_TOKEN, ChaosBench } from "../../src/testing/chaos/chaos_bench";
import { dateRange, planDeliveries } from "../../src/testing/chaos/delivery_plan";
import type { ScenarioFigures } from "../../src/testing/chaos/scenario_check";
import { describeWithEmulators } from "../../src/testing/emulator_suite";

const FUNCTION = "phase4-to-phase5";
const PROCESSORS = TRANSITIONS[FUNCTION].expectedProcessors;
/** Each scenario runs on its own dates, so one bench serves them all. */
const DATES_PER_SCENARIO = 6;
let nextFirstDate = 0;
function scenarioDates(count = DATES_PER_SCENARIO): string[] {
  const first = new Date(Date.UTC(2026, 0, 1) + nextFirstDate * 86_400_000);
  nextFirstDate += count;
  return dateRange(first.toISOString().slice(0, 10), count);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Where a publish may reach Pub/Sub and lose its acknowledgement on the way back, the
 * function cannot know it succeeded: the redelivery publishes the same trigger again, with
 * the same idempotency key, which is what the key is for. Only there is such a repeat
 * allowed; a second decision (another key) never is.
 */
function expectNoLossOneDecision(figures: ScenarioFigures & { problems: string[] }): void {
  expect(figures.problems.filter((p) => !/^\d+ triggers for /.test(p))).toEqual([]);
  expect(figures.losses).toBe(0);
  expect(figures.conflictingDecisions).toBe(0);
}

function expectNoLossNoDuplicate(figures: ScenarioFigures & { problems: string[] }): void {
  expect(figures.problems).toEqual([]);
  expect(figures.losses).toBe(0);
  expect(figures.conflictingDecisions).toBe(0);
  expect(figures.duplicateTriggers).toBe(0);
}

describeWithEmulators("fault scenarios across three function processes", () => {
  let bench: ChaosBench;
  beforeAll(async () => {
    bench = await ChaosBench.start(FUNCTION, 3);
  }, 120_000);
  afterAll(async () => {
    await bench?.close();
  }, 60_000);

  it("records every message and triggers each date once when each is delivered 1-10 times, shuffled", async () => {
    const plan = planDeliveries({
      scenario: "shuffled",
      dates: scenarioDates(),
      processors: PROCESSORS,
      seed: 1,
      minCopies: 1,
      maxCopies: 10,
    });
    const driver = bench.driver();
    await driver.run(plan);
    const figures = await bench.finish(
      "each message 1-10 times, shuffled, 3 instances",
      plan,
      driver,
    );
    expectNoLossNoDuplicate(figures);
    expect(figures.duplicateDeliveries).toBe(plan.deliveries.length - plan.messages.length);
  }, 90_000);

  it("loses nothing when Firestore is paused (SIGSTOP) for 3 s mid-burst", async () => {
    const plan = planDeliveries({
      scenario: "fs-pause",
      dates: scenarioDates(),
      processors: PROCESSORS,
      seed: 2,
      maxCopies: 2,
    });
    const driver = bench.driver();
    const done = driver.run(plan);
    await driver.acknowledged(Math.floor(plan.deliveries.length / 4));
    bench.firestoreEmulator.signal("SIGSTOP");
    await sleep(3_000);
    bench.firestoreEmulator.signal("SIGCONT");
    await done;
    expectNoLossNoDuplicate(await bench.finish("Firestore paused 3 s mid-burst", plan, driver));
  }, 90_000);

  it("loses nothing when Firestore is killed and restarted on the same port mid-burst", async () => {
    const plan = planDeliveries({
      scenario: "fs-kill",
      dates: scenarioDates(),
      processors: PROCESSORS,
      seed: 3,
      maxCopies: 2,
    });
    const driver = bench.driver();
    const done = driver.run(plan);
    await driver.acknowledged(Math.floor(plan.deliveries.length / 3));
    // Cut every client off first, so the snapshot holds every write that was acknowledged.
    bench.firestoreProxy.cut();
    const snapshot = await bench.firestoreEmulator.snapshot(bench.projectId);
    await bench.firestoreEmulator.killAndRestart(snapshot);
    bench.firestoreProxy.restore();
    await done;
    expectNoLossNoDuplicate(
      await bench.finish("Firestore killed (SIGKILL) and restarted mid-burst", plan, driver),
    );
  }, 120_000);

  it("decides each trigger once and loses nothing when the Pub/Sub emulator is down while triggers are due", async () => {
    const plan = planDeliveries({
      scenario: "ps-down",
      dates: scenarioDates(),
      processors: PROCESSORS,
      seed: 4,
      maxCopies: 2,
    });
    const driver = bench.driver({ ackDeadlineMs: 10_000 });
    const done = driver.run(plan);
    await driver.acknowledged(Math.floor(plan.deliveries.length / 4));
    bench.pubsubProxy.cut();
    await bench.watch.drain();
    await bench.pubsubEmulator.stop();
    await sleep(3_000);
    await bench.restartPubsub();
    bench.pubsubProxy.restore();
    await done;
    const figures = await bench.finish(
      "Pub/Sub emulator down 3 s while triggers are due",
      plan,
      driver,
    );
    expectNoLossOneDecision(figures);
  }, 120_000);

  it("acknowledges and records everything while the BigQuery backup fails and is slow", async () => {
    const plan = planDeliveries({
      scenario: "bq",
      dates: scenarioDates(4),
      processors: PROCESSORS,
      seed: 5,
      maxCopies: 2,
    });
    bench.bigquery.failNext(15, "unavailable");
    bench.bigquery.failNext(5, "reset");
    bench.bigquery.setDelayMs(400);
    const driver = bench.driver();
    try {
      await driver.run(plan);
    } finally {
      bench.bigquery.setDelayMs(0);
    }
    const figures = await bench.finish(
      "BigQuery stand-in failing (20) and slow (400 ms)",
      plan,
      driver,
    );
    expectNoLossNoDuplicate(figures);
    // The backup is not the primary: its failures are reported, never handed back.
    expect(driver.stats.retryable).toBe(0);
  }, 120_000);

  it("keeps acknowledging within the deadline while the Slack webhook hangs", async () => {
    bench.slack.setDefault("hang");
    const plan = planDeliveries({
      scenario: "slack",
      dates: scenarioDates(4),
      processors: PROCESSORS,
      seed: 6,
      maxCopies: 2,
    });
    // Backup failures and unreadable messages both alert, so Slack is called while it hangs.
    bench.bigquery.failNext(40, "unavailable");
    const posts = bench.slack.posts.length;
    const driver = bench.driver({ ackDeadlineMs: 10_000 });
    const poison = await Promise.all(
      [0, 1, 2].map((i) =>
        fetch(`${bench.pool.at(i).url}/`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ message: { data: "%%%", messageId: `slack-poison-${i}` } }),
          signal: AbortSignal.timeout(10_000),
        }).then((r) => r.status),
      ),
    );
    await driver.run(plan);
    const figures = await bench.finish("Slack webhook hanging", plan, driver);
    bench.slack.setDefault("ok");
    expectNoLossNoDuplicate(figures);
    expect(poison).toEqual([200, 200, 200]);
    expect(driver.stats.noAnswer).toBe(0);
    expect(bench.slack.posts.length).toBeGreaterThan(posts);
  }, 120_000);

  it("publishes exactly once when an instance dies between the trigger decision and the publish", async () => {
    const plan = planDeliveries({
      scenario: "crash",
      dates: scenarioDates(),
      processors: PROCESSORS,
      seed: 7,
      maxCopies: 2,
    });
    const failpoint = { ORCH_FAILPOINT: "exit-after-claim" };
    await bench.pool.restart(0, failpoint);
    const driver = bench.driver();
    let running = true;
    let crashes = 0;
    // Like Cloud Run, start a new instance (with the same failure point) after each crash.
    const supervisor = (async () => {
      while (running) {
        const code = await Promise.race([bench.pool.at(0).exited, sleep(200).then(() => "alive")]);
        if (code === "alive" || !running) continue;
        crashes += 1;
        await bench.pool.restart(0, failpoint);
      }
    })();
    await driver.run(plan);
    running = false;
    await supervisor;
    await bench.pool.restart(0);
    const figures = await bench.finish(
      `instance killed after claim, before publish (${crashes} crashes)`,
      plan,
      driver,
    );
    expectNoLossNoDuplicate(figures);
    expect(crashes).toBeGreaterThan(0);
  }, 150_000);

  it("never printed the admin token or the webhook URL in any instance's output", () => {
    expect(bench.pool.output.length).toBeGreaterThan(100);
    const everything = bench.pool.output.join("\n");
    expect(everything).not.toContain(CHAOS_ADMIN_TOKEN);
    expect(everything).not.toContain(bench.slack.url);
    expect(everything).not.toContain(new URL(bench.slack.url).pathname);
  });
});
