import type { HttpRequest } from "../../packages/shared/src/http/http_types";

/** The fields of a completion message a benchmark varies. */
export interface BenchCompletion {
  processor_name: string;
  game_date: string;
  [key: string]: unknown;
}

/** The JSON body Pub/Sub push sends for one message. */
export function pushBody(message: BenchCompletion, messageId: string): Record<string, unknown> {
  return {
    message: {
      data: Buffer.from(JSON.stringify(message)).toString("base64"),
      messageId,
      publishTime: new Date().toISOString(),
      attributes: {},
    },
    subscription: "projects/bench/subscriptions/push",
  };
}

/** The same delivery as the request `route()` receives from the Functions Framework. */
export function pushRequest(message: BenchCompletion, messageId: string): HttpRequest {
  return {
    method: "POST",
    path: "/",
    query: {},
    headers: { "content-type": "application/json" },
    body: pushBody(message, messageId),
  };
}
