import { Firestore } from "@google-cloud/firestore";
import { PubSub } from "@google-cloud/pubsub";
import type { Alerter } from "../alerts/alert";
import { createAlerter } from "../alerts/create_alerter";
import type { BackupStore } from "../backup/backup_store";
import { BigQueryBackupStore } from "../backup/bigquery_backup_store";
import { createBigQueryClient } from "../backup/bigquery_client";
import { type Clock, systemClock } from "../clock";
import type { OrchestratorConfig } from "../config/load_config";
import { createTriggerHooks } from "../coordinator/create_trigger_hooks";
import type { IdTokenProvider } from "../coordinator/id_token_provider";
import type { ReadinessGate } from "../gates/readiness_gate";
import { createReadiness, type TopicExists, topicExistsOn } from "../health/create_readiness";
import { Logger } from "../logging/logger";
import { PubSubTriggerPublisher, type TriggerPublisher } from "../publish/trigger_publisher";
import { reportResilienceEvent } from "../resilience/report_resilience_event";
import { withResilience, type WithResilienceOptions } from "../resilience/with_resilience";
import { FirestoreStateStore } from "../state/firestore_state_store";
import type { StateStore } from "../state/state_store";
import { CompletionTracker } from "../tracker/completion_tracker";
import type { Failpoints } from "../tracker/failpoints";
import { TriggerCoordinator } from "../tracker/trigger_coordinator";
import type { Orchestrator } from "./orchestrator_app";

/** Parts a caller may supply instead of the ones built from configuration. */
export interface OrchestratorOverrides {
  firestore?: Firestore;
  pubsub?: PubSub;
  state?: StateStore;
  backup?: BackupStore | null;
  publisher?: TriggerPublisher;
  alerter?: Alerter;
  clock?: Clock;
  logger?: Logger;
  failpoints?: Failpoints;
  /** Answers whether a topic exists, for `/ready`; defaults to the Pub/Sub client's. */
  topicExists?: TopicExists;
  /** ID tokens for the prediction coordinator call; defaults to google-auth-library's. */
  idTokenProvider?: IdTokenProvider;
  /** Replaces the BigQuery readiness gates built from `READINESS_GATES`. */
  readinessGate?: ReadinessGate;
  env?: NodeJS.ProcessEnv;
  /** Retry/breaker settings, random source and timers; read from `env` when absent. */
  resilience?: WithResilienceOptions;
}

/**
 * Builds one orchestrator from its configuration: real clients for Firestore, Pub/Sub and
 * the backup (the emulators are used when their `*_EMULATOR_HOST` variables are set).
 */
export async function createOrchestrator(
  config: OrchestratorConfig,
  overrides: OrchestratorOverrides = {},
): Promise<Orchestrator> {
  const clock = overrides.clock ?? systemClock;
  const env = overrides.env ?? process.env;
  const logger = (overrides.logger ?? new Logger())
    .child({ function: config.name })
    .withSecrets([env.SLACK_WEBHOOK_URL, env.ADMIN_TOKEN]);
  const firestore =
    overrides.firestore ??
    new Firestore({ projectId: config.projectId, ignoreUndefinedProperties: true });
  // Retries, deadlines and the instance's Firestore breaker (src/resilience/).
  const resilience = withResilience(
    {
      state: overrides.state ?? new FirestoreStateStore(firestore, config.collection),
      backup: overrides.backup !== undefined ? overrides.backup : await createBackup(config),
    },
    { env, ...overrides.resilience },
  );
  const { state, backup } = resilience;
  const pubsub = overrides.pubsub ?? new PubSub({ projectId: config.projectId });
  const publisher =
    overrides.publisher ?? new PubSubTriggerPublisher(pubsub, config.publishTimeoutMs);
  const alerter = overrides.alerter ?? createAlerter({ env, logger, firestore, clock });
  resilience.onEvent((event) => reportResilienceEvent({ config, logger, alerter }, event));
  const hooks = createTriggerHooks({
    ...{ config, state, alerter, logger, clock },
    ...(overrides.idTokenProvider && { idTokenProvider: overrides.idTokenProvider }),
    ...(overrides.readinessGate && { readinessGate: overrides.readinessGate }),
  });
  const coordinator = new TriggerCoordinator(
    config,
    state,
    publisher,
    clock,
    overrides.failpoints,
    undefined,
    hooks,
  );
  const tracker = new CompletionTracker(config, state, backup, coordinator, clock);
  const topicExists = overrides.topicExists ?? topicExistsOn(pubsub);
  const readiness = createReadiness({ config, state, backup, topicExists, clock, env });
  return { config, state, backup, tracker, coordinator, alerter, clock, logger, readiness };
}

/** The backup store the configuration names; DuckDB is loaded only when asked for. */
async function createBackup(config: OrchestratorConfig): Promise<BackupStore | null> {
  const { backup } = config;
  if (backup.kind === "none") return null;
  if (backup.kind === "duckdb") {
    const { openDuckDbBackupStore } = await import("../backup/duckdb_backup_store");
    return openDuckDbBackupStore(backup.duckdbPath);
  }
  return new BigQueryBackupStore({
    bigquery: createBigQueryClient({
      projectId: config.projectId,
      location: backup.location,
      ...(backup.apiEndpoint !== undefined && { apiEndpoint: backup.apiEndpoint }),
    }),
    dataset: backup.dataset,
    completionsTable: backup.completionsTable,
    statusTable: backup.statusTable,
    location: backup.location,
  });
}
