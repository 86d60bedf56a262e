/** Per-request limit on the emulator's REST API: it answers in milliseconds when healthy. */
const REQUEST_TIMEOUT_MS = 10_000;
/**
 * Ack deadline of the demo's subscriptions. The emulator redelivers a push the function
 * has not answered within it; the minimum Pub/Sub accepts keeps a hung delivery visible.
 */
const ACK_DEADLINE_SECONDS = 10;

/**
 * The few Pub/Sub admin and publish calls the demo makes, through the emulator's REST API.
 * Plain REST keeps the demo's view independent of the client library the functions use.
 */
export class PubSubAdmin {
  constructor(
    private readonly emulatorHost: string,
    private readonly projectId: string,
  ) {}

  async createTopic(topic: string): Promise<void> {
    await this.call("PUT", `topics/${topic}`, {});
  }

  /** A subscription that pushes every message of `topic` to `endpoint`. */
  async createPushSubscription(name: string, topic: string, endpoint: string): Promise<void> {
    await this.call("PUT", `subscriptions/${name}`, {
      topic: this.topicPath(topic),
      ackDeadlineSeconds: ACK_DEADLINE_SECONDS,
      pushConfig: { pushEndpoint: endpoint },
    });
  }

  /** A subscription the demo pulls from. */
  async createPullSubscription(name: string, topic: string): Promise<void> {
    await this.call("PUT", `subscriptions/${name}`, {
      topic: this.topicPath(topic),
      ackDeadlineSeconds: ACK_DEADLINE_SECONDS,
    });
  }

  /** Publishes one message with `data` as its bytes; returns its message id. */
  async publish(topic: string, data: string): Promise<string> {
    const body = (await this.call("POST", `topics/${topic}:publish`, {
      messages: [{ data: Buffer.from(data, "utf8").toString("base64") }],
    })) as { messageIds?: string[] };
    const id = body.messageIds?.[0];
    if (id === undefined) throw new Error(`publish to ${topic} returned no message id`);
    return id;
  }

  private topicPath(topic: string): string {
    return `projects/${this.projectId}/topics/${topic}`;
  }

  private async call(method: string, path: string, body: unknown): Promise<unknown> {
    const url = `http://${this.emulatorHost}/v1/projects/${this.projectId}/${path}`;
    const response = await fetch(url, {
      method,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`Pub/Sub emulator: ${method} ${path} → ${response.status} ${text}`);
    }
    return text.length > 0 ? JSON.parse(text) : {};
  }
}
