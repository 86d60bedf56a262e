import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * How the stand-in answers one post, modelled on what a Slack incoming webhook answers:
 * - `ok`: 200 `ok`
 * - `{ retryAfterSeconds }`: 429 `rate_limited` with a Retry-After header
 * - `server_error`: 500 `rollup_error`
 * - `no_service`: 404 `no_service` (webhook revoked or deleted)
 * - `invalid_payload`: 400 `invalid_payload`
 * - `invalid_token`: 403 `invalid_token`
 * - `hang`: reads the request and never answers
 */
export type StandInReply =
  | "ok"
  | "server_error"
  | "no_service"
  | "invalid_payload"
  | "invalid_token"
  | "hang"
  | { retryAfterSeconds: number };

/** One request the stand-in received. */
export interface RecordedPost {
  path: string;
  headers: IncomingMessage["headers"];
  rawBody: string;
  /** The parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
  /** What the stand-in answered (or `hang`). */
  reply: StandInReply;
}

/** A loopback Slack webhook that records posts and answers as scripted. */
export interface WebhookStandIn {
  /** A webhook-shaped URL on 127.0.0.1; its path looks like a secret, for redaction tests. */
  readonly url: string;
  /** Every post received so far, in order. */
  readonly posts: readonly RecordedPost[];
  /** Queues replies for the next posts, one each; after the queue, the default applies. */
  replyWith(...replies: StandInReply[]): void;
  /** Sets the reply used once the queue is empty (initially `ok`). */
  setDefault(reply: StandInReply): void;
  /** Resolves once at least `count` posts have arrived (including hung ones). */
  waitForPosts(count: number): Promise<void>;
  /** Ends hung requests and closes the server. */
  close(): Promise<void>;
}

const STATUS_AND_BODY: Record<Exclude<StandInReply, "hang" | object>, [number, string]> = {
  ok: [200, "ok"],
  server_error: [500, "rollup_error"],
  no_service: [404, "no_service"],
  invalid_payload: [400, "invalid_payload"],
  invalid_token: [403, "invalid_token"],
};

/** Starts a webhook stand-in on 127.0.0.1 and a free port. */
export async function startWebhookStandIn(
  options: { defaultReply?: StandInReply } = {},
): Promise<WebhookStandIn> {
  const posts: RecordedPost[] = [];
  const queue: StandInReply[] = [];
  let defaultReply: StandInReply = options.defaultReply ?? "ok";
  const waiters: { count: number; resolve: () => void }[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const reply = queue.shift() ?? defaultReply;
      const rawBody = Buffer.concat(chunks).toString("utf8");
      posts.push({
        path: req.url ?? "",
        headers: req.headers,
        rawBody,
        body: parse(rawBody),
        reply,
      });
      for (const waiter of waiters.filter((w) => posts.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      answer(res, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/services/T0STANDIN/B0STANDIN/s3cr3tWebhookToken${port}`,
    posts,
    replyWith: (...replies) => {
      queue.push(...replies);
    },
    setDefault: (reply) => {
      defaultReply = reply;
    },
    waitForPosts: (count) =>
      posts.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        // Hung requests keep their sockets open; without this, close() would wait forever.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(res: ServerResponse, reply: StandInReply): void {
  if (reply === "hang") return;
  if (typeof reply === "object") {
    res.writeHead(429, {
      "content-type": "text/plain",
      "retry-after": `${reply.retryAfterSeconds}`,
    });
    res.end("rate_limited");
    return;
  }
  const [status, body] = STATUS_AND_BODY[reply];
  res.writeHead(status, { "content-type": "text/plain" });
  res.end(body);
}

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
