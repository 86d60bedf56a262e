import { type PulledMessage, pullAll } from "../pubsub_rest";

/**
 * Creates the trigger topic and a pull subscription on a Pub/Sub emulator, and collects
 * every trigger published to it. `drain()` may be called before the emulator is stopped,
 * so that nothing published before the outage is lost with the emulator's memory.
 */
export class TriggerWatch {
  /** Every trigger message pulled so far. */
  readonly received: PulledMessage[] = [];

  constructor(
    private readonly pubsubHost: () => string,
    private readonly projectId: string,
    private readonly topic: string,
    private readonly subscription = "chaos-trigger-watch",
  ) {}

  /** Creates the topic and subscription; run again after an emulator restart. */
  async create(): Promise<void> {
    const base = `http://${this.pubsubHost()}/v1/projects/${this.projectId}`;
    await put(`${base}/topics/${this.topic}`, {});
    await put(`${base}/subscriptions/${this.subscription}`, {
      topic: `projects/${this.projectId}/topics/${this.topic}`,
      ackDeadlineSeconds: 60,
    });
  }

  /** Pulls (and acknowledges) everything waiting, and adds it to `received`. */
  async drain(): Promise<PulledMessage[]> {
    const pulled = await pullAll(this.pubsubHost(), this.projectId, this.subscription);
    this.received.push(...pulled);
    return this.received;
  }
}

async function put(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  // 409: it exists already, which is what we want.
  if (!response.ok && response.status !== 409) {
    throw new Error(`PUT ${url}: ${response.status} ${await response.text()}`);
  }
}
