import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One alert the functions sent, reduced to what the demo prints. */
export interface ReceivedAlert {
  /** The payload's plain-text fallback, which Slack shows in notifications. */
  text: string;
}

/** A loopback stand-in for the Slack incoming webhook. */
export interface AlertSink {
  /** Webhook URL for `SLACK_WEBHOOK_URL`. */
  url: string;
  /** Called for each alert as it arrives. */
  onAlert(listener: (alert: ReceivedAlert) => void): void;
  close(): Promise<void>;
}

/** Largest alert body read; a Block Kit payload is a few kilobytes. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Starts a webhook stand-in on 127.0.0.1 that answers `ok` like Slack, so the functions'
 * real alerting path runs and the demo can show what would have been posted.
 */
export async function startAlertSink(): Promise<AlertSink> {
  const listeners: ((alert: ReceivedAlert) => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      const alert = { text: fallbackText(Buffer.concat(chunks).toString("utf8")) };
      for (const listener of listeners) listener(alert);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/local-demo`,
    onAlert: (listener) => listeners.push(listener),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function fallbackText(raw: string): string {
  try {
    const body = JSON.parse(raw) as { text?: unknown };
    if (typeof body.text === "string") return body.text.split("\n")[0] ?? "";
  } catch {
    // not JSON: show the start of the raw body instead
  }
  return raw.slice(0, 120);
}
