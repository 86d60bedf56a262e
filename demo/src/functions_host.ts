/**
 * The functions host: one Node process that serves the three orchestrators, each with the
 * Functions Framework's own server, on 127.0.0.1 and a free port. One process, because the
 * three share the DuckDB backup file and DuckDB lets only one process write a file.
 *
 * Started by the demo with its stdout and stderr going to the functions log, so the
 * orchestrators' JSON log lines stay out of the demo's output. Reports readiness and
 * every answered request over the IPC channel; exits when that channel closes, so it can
 * never outlive the demo.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import { TRANSITION_NAMES, TRANSITIONS } from "@orchestrator/shared";
import { describeLine } from "./fixtures";
import {
  type HostEvent,
  MAX_FORWARDED_BODY_CHARS,
  type ObservedRequest,
  type ServedFunction,
} from "./host_protocol";

const servers: Server[] = [];

function send(event: HostEvent): void {
  process.send?.(event);
}

/** Reports each answered request; runs beside the framework's own request listener. */
function observe(server: Server, name: string): void {
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const startedAt = performance.now();
    const chunks: string[] = [];
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    // Wrapped before the framework answers: its body parser is still reading the request.
    res.end = ((...args: unknown[]) => {
      const chunk = args[0];
      if (typeof chunk === "string" || Buffer.isBuffer(chunk)) chunks.push(chunk.toString());
      return end(...args);
    }) as ServerResponse["end"];
    res.on("finish", () => {
      const { messageId, summary } = pushedMessage(req);
      const event: ObservedRequest = {
        type: "request",
        function: name,
        method: req.method ?? "",
        path: req.url ?? "",
        status: res.statusCode,
        durationMs: Math.round(performance.now() - startedAt),
        responseBody: chunks.join("").slice(0, MAX_FORWARDED_BODY_CHARS),
        ...(messageId !== undefined && { messageId }),
        ...(summary !== undefined && { summary }),
      };
      send(event);
    });
  });
}

/** The message id and a label of a Pub/Sub push body, once the framework has parsed it. */
function pushedMessage(req: IncomingMessage): { messageId?: string; summary?: string } {
  const body = (req as IncomingMessage & { body?: unknown }).body as
    | { message?: { messageId?: unknown; data?: unknown } }
    | undefined;
  const message = body?.message;
  if (typeof message?.messageId !== "string") return {};
  if (typeof message.data !== "string") return { messageId: message.messageId };
  const text = Buffer.from(message.data, "base64").toString("utf8");
  return { messageId: message.messageId, summary: describeLine(text) };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

async function start(): Promise<void> {
  const served: ServedFunction[] = [];
  for (const name of TRANSITION_NAMES) {
    const { entryPoint } = TRANSITIONS[name];
    // Importing the function's package registers its entry point with the framework,
    // exactly as the deployed function does at start-up.
    await import(`@orchestrator/${name}`);
    const server = getTestServer(entryPoint);
    observe(server, name);
    servers.push(server);
    const port = await listen(server);
    served.push({ name, entryPoint, url: `http://127.0.0.1:${port}` });
  }
  send({ type: "ready", pid: process.pid, functions: served });
}

function shutdown(code: number): void {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  process.exit(code);
}

process.on("disconnect", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));
process.on("SIGINT", () => shutdown(0));

start().catch((error: unknown) => {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`functions host failed to start: ${text}\n`);
  // Exit only once the demo has the reason; the IPC send is asynchronous.
  if (process.send) process.send({ type: "start_failed", error: text }, () => shutdown(1));
  else shutdown(1);
});
