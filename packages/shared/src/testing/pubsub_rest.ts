/** A message as the Pub/Sub emulator's REST pull returns it. */
export interface PulledMessage {
  data: Buffer;
  attributes: Record<string, string>;
  messageId: string;
}

/**
 * Pulls and acknowledges everything a subscription on the Pub/Sub emulator holds, through
 * its REST API. Synchronous pull returns what is already there, so a test can count the
 * messages its awaited publishes produced without waiting on a streaming listener.
 */
export async function pullAll(
  emulatorHost: string,
  projectId: string,
  subscription: string,
): Promise<PulledMessage[]> {
  const base = `http://${emulatorHost}/v1/projects/${projectId}/subscriptions/${subscription}`;
  const out: PulledMessage[] = [];
  for (;;) {
    const response = await fetch(`${base}:pull`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ maxMessages: 1000, returnImmediately: true }),
    });
    if (!response.ok) throw new Error(`pull failed: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as {
      receivedMessages?: {
        ackId: string;
        message: { data?: string; attributes?: Record<string, string>; messageId: string };
      }[];
    };
    const batch = body.receivedMessages ?? [];
    if (batch.length === 0) return out;
    for (const r of batch) {
      out.push({
        data: Buffer.from(r.message.data ?? "", "base64"),
        attributes: r.message.attributes ?? {},
        messageId: r.message.messageId,
      });
    }
    await fetch(`${base}:acknowledge`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ackIds: batch.map((r) => r.ackId) }),
    });
  }
}
