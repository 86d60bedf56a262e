import { loadConfig } from "../config/load_config";
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
  return async (req, res) => httpHandler(await ready)(req, res);
}
