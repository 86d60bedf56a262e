import { pullAll } from "@orchestrator/shared/pubsub_rest";
import { sleep } from "./deadline";

/** A trigger message the demo pulled from a trigger topic. */
export interface SeenTrigger {
  /** Orchestrator that owns the topic, e.g. `phase2-to-phase3`. */
  transition: string;
  topic: string;
  messageId: string;
  elapsedMs: number;
  reason: string;
  mode: string;
  gameDate: string;
  idempotencyKey: string;
  completed: string[];
  missing: string[];
}

/** A trigger topic and the pull subscription the demo reads it through. */
export interface WatchedTopic {
  transition: string;
  topic: string;
  subscription: string;
}

const POLL_INTERVAL_MS = 100;
/** Consecutive failed polls (about two seconds) after which the watcher gives up. */
const MAX_CONSECUTIVE_FAILURES = 20;

/**
 * Pulls the trigger topics' subscriptions every 100 ms and reports each message once.
 * Synchronous REST pulls return at once, so stopping never waits on a long poll.
 */
export class TriggerWatcher {
  readonly seen: SeenTrigger[] = [];
  /** Why polling stopped working, if it did. */
  failure: Error | null = null;
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly emulatorHost: string,
    private readonly projectId: string,
    private readonly topics: WatchedTopic[],
    private readonly elapsedMs: () => number,
    private readonly onTrigger: (trigger: SeenTrigger) => void,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Stops polling after one last pull, so nothing published before the call is missed. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.pollOnce().catch(() => {});
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        await this.pollOnce();
        failures = 0;
      } catch (error) {
        failures += 1;
        if (failures >= MAX_CONSECUTIVE_FAILURES) {
          this.failure = new Error(`cannot pull the trigger topics: ${(error as Error).message}`);
          return;
        }
      }
      await sleep(POLL_INTERVAL_MS);
    }
  }

  private async pollOnce(): Promise<void> {
    for (const watched of this.topics) {
      const messages = await pullAll(this.emulatorHost, this.projectId, watched.subscription);
      for (const message of messages) {
        const trigger = toTrigger(watched, message.messageId, message.data, this.elapsedMs());
        this.seen.push(trigger);
        this.onTrigger(trigger);
      }
    }
  }
}

function toTrigger(
  watched: WatchedTopic,
  messageId: string,
  data: Buffer,
  elapsedMs: number,
): SeenTrigger {
  let payload: Record<string, unknown> = {};
  try {
    payload = JSON.parse(data.toString("utf8")) as Record<string, unknown>;
  } catch {
    // shown as "?" fields: the verdict still counts it as a trigger
  }
  const text = (key: string) => (typeof payload[key] === "string" ? (payload[key] as string) : "?");
  const list = (key: string) =>
    Array.isArray(payload[key]) ? (payload[key] as unknown[]).map(String) : [];
  return {
    transition: watched.transition,
    topic: watched.topic,
    messageId,
    elapsedMs,
    reason: text("trigger_reason"),
    mode: text("mode"),
    gameDate: text("game_date"),
    idempotencyKey: text("idempotency_key"),
    completed: list("completed_processors"),
    missing: list("missing_processors"),
  };
}
