import type { Alerter } from "../alerts/alert";
import type { Clock } from "../clock";
import type { OrchestratorConfig } from "../config/load_config";
import type { Logger } from "../logging/logger";
import type { TriggerRecord } from "../state/phase_state";
import type { StateStore } from "../state/state_store";
import type { CoordinatorClient } from "./coordinator_client";
import type { AfterTrigger } from "./trigger_hooks";

/** Name of the follow-up in the trigger record (`trigger.followUps.coordinator`). */
export const COORDINATOR_FOLLOW_UP = "coordinator";

/** What the hook needs. */
export interface PredictionCoordinatorHookDeps {
  config: OrchestratorConfig;
  client: CoordinatorClient;
  state: Pick<StateStore, "recordTriggerFollowUp">;
  alerter: Alerter;
  logger: Logger;
  clock: Clock;
}

/**
 * After the phase 5 trigger is published, starts the prediction coordinator over HTTP,
 * records the outcome in the trigger record, and alerts when every retry failed. It runs
 * after the publish, so it can neither delay nor repeat it; it logs and alerts itself
 * because it is the edge of this outbound call.
 */
export class PredictionCoordinatorHook implements AfterTrigger {
  constructor(private readonly deps: PredictionCoordinatorHookDeps) {}

  async afterPublish(trigger: TriggerRecord): Promise<void> {
    const { config, client, logger, clock } = this.deps;
    const payload = trigger.payload;
    const log = logger.child({
      gameDate: payload.game_date,
      correlationId: payload.correlation_id,
    });
    const result = await client.start({
      game_date: payload.game_date,
      correlation_id: payload.correlation_id,
      idempotency_key: trigger.idempotencyKey,
    });
    await this.deps.state
      .recordTriggerFollowUp(payload.game_date, trigger.generation, COORDINATOR_FOLLOW_UP, {
        ...result,
        at: clock.now().toISOString(),
      })
      .catch((error: unknown) => {
        log.warn("coordinator_outcome_unrecorded", "coordinator outcome not stored", { error });
      });
    if (result.ok) {
      log.info("coordinator_started", "prediction coordinator started", { ...result });
      return;
    }
    log.error("coordinator_failed", `prediction coordinator not started: ${result.error}`, {
      ...result,
    });
    await this.deps.alerter.notify({
      kind: "coordinator_failed",
      severity: "error",
      title: `prediction coordinator not started for ${payload.game_date}`,
      message:
        `${result.error ?? "unknown error"} after ${result.attempts} attempt(s). The Pub/Sub ` +
        "trigger went out; start the coordinator by hand if it does not pick that up.",
      functionName: config.name,
      transition: config.label,
      gameDate: payload.game_date,
      correlationId: payload.correlation_id,
      errorType: "coordinator_failed",
    });
  }
}
