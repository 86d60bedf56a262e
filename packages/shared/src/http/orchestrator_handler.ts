import { loadConfig } from "../config/load_config";
import { describeError } from "../errors";
import { Logger } from "../logging/logger";
import type { TransitionName } from "../config/transition_defaults";
import { createOrchestrator, type OrchestratorOverrides } from "./create_orchestrator";
import type { HttpRequest, HttpResponse } from "./http_types";
import { httpHandler, type Orchestrator } from "./orchestrator_app";

/**
 * The HTTP function of orchestrator `name`. Configuration is read now, so a bad setting
 * stops the instance at start-up instead of failing every message; clients are created
 * once and reused by every request of the instance.
 */
export function orchestratorHandler(
  name: TransitionName,
  overrides: OrchestratorOverrides = {},
): (req: HttpRequest, res: HttpResponse) => Promise<void> {
  const config = loadConfig(name, overrides.env ?? process.env);
  const ready: Promise<Orchestrator> = createOrchestrator(config, overrides);
  // Surface a failed start in the first request's 500 rather than as an unhandled rejection.
  ready.catch(() => {});
  let failureLogged = false;
  return async (req, res) => {
    // `/health` promises no network call and answers from configuration alone, so a cold
    // instance reports healthy before its clients are built.
    if (req.method === "GET" && req.path.replace(/\/+$/, "") === "/health") {
      res.status(200).json({ name: config.name, version: config.version, status: "ok" });
      return;
    }
    let orchestrator: Orchestrator;
    try {
      orchestrator = await ready;
    } catch (error) {
      if (!failureLogged) {
        failureLogged = true;
        (overrides.logger ?? new Logger())
          .child({ function: config.name })
          .critical("startup_failed", `the function could not start: ${describeError(error)}`);
      }
      res.status(503).json({ status: "retry", reason: "the function could not start" });
      return;
    }
    await httpHandler(orchestrator)(req, res);
  };
}
