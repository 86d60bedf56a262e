import type { Alerter } from "../alerts/alert";
import { createBigQueryClient } from "../backup/bigquery_client";
import type { Clock } from "../clock";
import type { OrchestratorConfig } from "../config/load_config";
import { BigQueryReadinessGate } from "../gates/bigquery_readiness_gate";
import type { ReadinessGate } from "../gates/readiness_gate";
import { reportingGate } from "../gates/reporting_gate";
import type { Logger } from "../logging/logger";
import type { StateStore } from "../state/state_store";
import { CoordinatorClient } from "./coordinator_client";
import { googleIdTokenProvider, type IdTokenProvider } from "./id_token_provider";
import { PredictionCoordinatorHook } from "./prediction_coordinator_hook";
import type { TriggerHooks } from "./trigger_hooks";

/** Only the phase 4→5 orchestrator starts the prediction coordinator. */
const COORDINATOR_TARGET_PHASE = "phase5";

/** What the hooks are built from; the two optional parts replace real clients in tests. */
export interface TriggerHookDeps {
  config: OrchestratorConfig;
  state: StateStore;
  alerter: Alerter;
  logger: Logger;
  clock: Clock;
  idTokenProvider?: IdTokenProvider;
  readinessGate?: ReadinessGate;
}

/**
 * The readiness gates (`READINESS_GATES`, none by default) and the prediction coordinator
 * call (`COORDINATOR_URL`, phase 4→5 only) of one orchestrator.
 */
export function createTriggerHooks(deps: TriggerHookDeps): TriggerHooks {
  const { config } = deps;
  const hooks: TriggerHooks = {};
  const inner = deps.readinessGate ?? bigQueryGate(config);
  if (inner) hooks.gate = reportingGate(inner, deps);
  if (config.coordinatorUrl !== undefined && config.targetPhase === COORDINATOR_TARGET_PHASE) {
    const client = new CoordinatorClient(
      config.coordinatorUrl,
      deps.idTokenProvider ?? googleIdTokenProvider(),
      config.coordinatorCall,
    );
    hooks.afterTrigger = new PredictionCoordinatorHook({ ...deps, client });
  }
  return hooks;
}

function bigQueryGate(config: OrchestratorConfig): ReadinessGate | undefined {
  if (config.readinessGates.length === 0) return undefined;
  const { location, apiEndpoint } = config.backup;
  return new BigQueryReadinessGate({
    bigquery: createBigQueryClient({
      projectId: config.projectId,
      location,
      ...(apiEndpoint !== undefined && { apiEndpoint }),
    }),
    gates: config.readinessGates,
    location,
  });
}
