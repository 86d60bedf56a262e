import { TRANSITION_NAMES, TRANSITIONS, type TransitionDefaults } from "@orchestrator/shared";
import { type Deadline, sleep } from "./deadline";
import type { DeliveryLog } from "./delivery_log";
import type { DemoEnvironment } from "./environment";
import { describeLine, fixturePath, type PhaseFixture, readFixture } from "./fixtures";
import type { DemoOptions } from "./options";
import { PubSubAdmin } from "./pubsub_admin";
import type { Timeline } from "./timeline";
import { type SeenTrigger, TriggerWatcher } from "./trigger_watcher";

/** One orchestrator in the run: what it is fed and what it produced. */
export interface PhaseRun {
  defaults: TransitionDefaults;
  fixture: PhaseFixture;
  /** Base URL of the function serving it. */
  url: string;
  triggers: SeenTrigger[];
}

/** What playing the day produced, for the report. */
export interface PipelineResult {
  runs: PhaseRun[];
  deliveries: DeliveryLog;
  /** Triggers pulled from the trigger topics, across all phases, in arrival order. */
  triggers: SeenTrigger[];
}

/** Suffix of the demo's pull subscription on each trigger topic. */
const WATCH_SUFFIX = "-demo-watch";
/** Suffix of the push subscription that feeds each function. */
const PUSH_SUFFIX = "-push";

/** Reads every phase's fixture up front, so a missing file fails before anything starts. */
export function loadPhaseFixtures(options: DemoOptions): PhaseFixture[] {
  return TRANSITION_NAMES.map((name) =>
    readFixture(fixturePath(options.fixturesDir, options.gameDate, TRANSITIONS[name].sourcePhase)),
  );
}

/**
 * Plays the day: creates the topics and subscriptions, publishes phase 2's completions,
 * and each time a phase's trigger arrives plays the next phase's completions, until the
 * last trigger. Messages of one phase go one at a time, each once its function has
 * acknowledged the one before, so the order the fixture gives is the order the function
 * sees, and every run decides the same way. Waits `settleMs` more for a duplicate trigger.
 */
export async function playDay(
  options: DemoOptions,
  fixtures: PhaseFixture[],
  environment: DemoEnvironment,
  timeline: Timeline,
  deadline: Deadline,
  result: PipelineResult,
): Promise<void> {
  const admin = new PubSubAdmin(environment.pubsub.host, options.projectId);
  const { host } = environment;
  host.onRequest((request) => result.deliveries.record(request));
  environment.alerts.onAlert((alert) => timeline.add("alert", alert.text));

  TRANSITION_NAMES.forEach((name, i) => {
    const fn = host.functions.find((f) => f.name === name);
    if (!fn) throw new Error(`the functions host does not serve ${name}`);
    result.runs.push({
      defaults: TRANSITIONS[name],
      fixture: fixtures[i] as PhaseFixture,
      url: fn.url,
      triggers: [],
    });
  });
  const { runs } = result;
  // Topics first: a subscription can only be made on an existing topic.
  await Promise.all(
    runs
      .flatMap((r) => [r.defaults.completionTopic, r.defaults.triggerTopic])
      .map((topic) => admin.createTopic(topic)),
  );
  await Promise.all(
    runs.flatMap(({ defaults, url }) => [
      admin.createPushSubscription(
        `${defaults.name}${PUSH_SUFFIX}`,
        defaults.completionTopic,
        `${url}/`,
      ),
      admin.createPullSubscription(
        `${defaults.triggerTopic}${WATCH_SUFFIX}`,
        defaults.triggerTopic,
      ),
    ]),
  );
  timeline.add(
    "setup",
    `topics: ${runs.map((r) => r.defaults.completionTopic).join(", ")} push to the functions; ` +
      `${runs.map((r) => r.defaults.triggerTopic).join(", ")} watched`,
  );

  const plays: Promise<void>[] = [];
  let playFailure: Error | null = null;
  const play = (run: PhaseRun) => {
    const done = playPhase(run, admin, result.deliveries, timeline, deadline, environment);
    plays.push(
      done.catch((error: Error) => {
        playFailure ??= error;
      }),
    );
  };
  const watcher = new TriggerWatcher(
    environment.pubsub.host,
    options.projectId,
    runs.map((r) => ({
      transition: r.defaults.name,
      topic: r.defaults.triggerTopic,
      subscription: `${r.defaults.triggerTopic}${WATCH_SUFFIX}`,
    })),
    () => timeline.elapsedMs(),
    (trigger) => {
      const index = runs.findIndex((r) => r.defaults.name === trigger.transition);
      const run = runs[index] as PhaseRun;
      run.triggers.push(trigger);
      result.triggers.push(trigger);
      const repeat = run.triggers.length > 1 ? ` REPEAT #${run.triggers.length}` : "";
      timeline.add(
        "TRIGGER",
        `${trigger.topic}${repeat}: reason ${trigger.reason}, mode ${trigger.mode} (from ${run.defaults.name})`,
      );
      const next = runs[index + 1];
      if (run.triggers.length === 1 && next) play(next);
    },
  );
  watcher.start();
  try {
    play(runs[0] as PhaseRun);
    const last = runs[runs.length - 1] as PhaseRun;
    const check = () => {
      if (playFailure) throw playFailure;
      if (watcher.failure) throw watcher.failure;
      const exit = host.exited();
      if (exit) throw new Error(`the functions host ${exit}; see ${environment.logPath}`);
    };
    await deadline.until(() => {
      check();
      return last.triggers.length > 0;
    }, `the ${last.defaults.triggerTopic} trigger`);
    // Late completions of earlier phases may still be on their way: let them finish.
    await deadline.race(Promise.all(plays), "the last completions to be delivered");
    check();
    timeline.add("settle", `waiting ${options.settleMs} ms for any repeated trigger`);
    await deadline.race(sleep(options.settleMs), "the settle period");
  } finally {
    await watcher.stop();
  }
}

/** Publishes one phase's fixture, each message after the previous was acknowledged. */
async function playPhase(
  run: PhaseRun,
  admin: PubSubAdmin,
  deliveries: DeliveryLog,
  timeline: Timeline,
  deadline: Deadline,
  environment: DemoEnvironment,
): Promise<void> {
  const { completionTopic, sourcePhase, name } = run.defaults;
  timeline.add(
    "publish",
    `${sourcePhase}: ${run.fixture.lines.length} completions -> ${completionTopic}`,
  );
  for (const line of run.fixture.lines) {
    const messageId = await admin.publish(completionTopic, line);
    await deadline.until(
      () => {
        const exit = environment.host.exited();
        if (exit) throw new Error(`the functions host ${exit}; see ${environment.logPath}`);
        return deliveries.acknowledged(messageId);
      },
      `${name} to acknowledge ${describeLine(line)} (message ${messageId})`,
    );
  }
}
