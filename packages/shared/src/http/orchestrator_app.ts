import type { Alerter } from "../alerts/alert";
import type { BackupStore } from "../backup/backup_store";
import type { Clock } from "../clock";
import type { OrchestratorConfig } from "../config/load_config";
import type { ReadinessChecker } from "../health/readiness";
import { readyRoute } from "../health/ready_route";
import type { Logger } from "../logging/logger";
import type { StateStore } from "../state/state_store";
import { sweepRoute } from "../sweep/sweep_route";
import type { CompletionTracker } from "../tracker/completion_tracker";
import type { TriggerCoordinator } from "../tracker/trigger_coordinator";
import { handleDelivery } from "./handle_delivery";
import type { HttpRequest, HttpResponse, Reply } from "./http_types";
import { statusRoute } from "./status_route";

/** Everything one orchestrator instance is made of; built once per process. */
export interface Orchestrator {
  config: OrchestratorConfig;
  state: StateStore;
  backup: BackupStore | null;
  tracker: CompletionTracker;
  coordinator: TriggerCoordinator;
  alerter: Alerter;
  clock: Clock;
  logger: Logger;
  /** Dependency checks behind `GET /ready`. */
  readiness?: ReadinessChecker;
}

/** One route: method, exact path, and the handler that answers it. */
export interface Route {
  method: "GET" | "POST";
  path: string;
  handle: (orchestrator: Orchestrator, request: HttpRequest) => Promise<Reply> | Reply;
}

/**
 * Every route of an orchestrator. Pub/Sub pushes to `/`; the rest serve operators.
 * Add a route here with its handler in its own module.
 */
export const ROUTES: readonly Route[] = [
  {
    method: "GET",
    path: "/health",
    handle: ({ config }) => ({
      status: 200,
      body: { name: config.name, version: config.version, status: "ok" },
    }),
  },
  {
    method: "GET",
    path: "/status",
    handle: (o, request) => statusRoute(o, request.query, request.headers.accept),
  },
  { method: "GET", path: "/ready", handle: (o) => readyRoute(o) },
  { method: "POST", path: "/", handle: (o, request) => handleDelivery(o, request) },
  { method: "POST", path: "/sweep", handle: (o, request) => sweepRoute(o, request) },
];

/** Routes one HTTP request to the right handler and returns the answer. */
export async function route(orchestrator: Orchestrator, request: HttpRequest): Promise<Reply> {
  const { config } = orchestrator;
  const size = request.rawBody?.length ?? Number(request.headers["content-length"] ?? 0);
  if (size > config.maxBodyBytes) {
    // Pub/Sub treats 413 as a failure and redelivers until the dead-letter topic: say so.
    orchestrator.logger.error("body_too_large", `request of ${size} bytes refused with 413`, {
      sizeBytes: size,
      limitBytes: config.maxBodyBytes,
    });
    return { status: 413, body: { error: `request body over ${config.maxBodyBytes} bytes` } };
  }
  const path = request.path.replace(/\/+$/, "") || "/";
  const match = ROUTES.find((r) => r.method === request.method && r.path === path);
  if (!match) return { status: 404, body: { error: `no route for ${request.method} ${path}` } };
  return match.handle(orchestrator, request);
}

/** An Express-style handler for the Functions Framework's HTTP signature. */
export function httpHandler(
  orchestrator: Orchestrator | (() => Orchestrator),
): (req: HttpRequest, res: HttpResponse) => Promise<void> {
  return async (req, res) => {
    const instance = typeof orchestrator === "function" ? orchestrator() : orchestrator;
    const reply: Reply = await route(instance, req).catch((error: unknown) => {
      instance.logger.error("unhandled_error", "request failed unexpectedly", { error });
      return { status: 500, body: { error: "internal error" } };
    });
    if (reply.contentType === "text/html") {
      res.set("Content-Type", "text/html; charset=utf-8");
      res.status(reply.status).send(String(reply.body));
      return;
    }
    res.status(reply.status).json(reply.body);
  };
}
