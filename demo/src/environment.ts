import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import {
  emulatorBinaries,
  type RunningEmulator,
  startEmulator,
} from "@orchestrator/shared/testing";
import { type AlertSink, startAlertSink } from "./alert_sink";
import type { Deadline } from "./deadline";
import { type FunctionsHost, startFunctionsHost } from "./host_process";
import type { DemoOptions } from "./options";
import type { Resources } from "./resources";
import type { Timeline } from "./timeline";

/** Everything the demo runs against, all on 127.0.0.1. */
export interface DemoEnvironment {
  firestore: RunningEmulator;
  pubsub: RunningEmulator;
  /** Loopback stand-in for the Slack webhook: alerts land here and the demo prints them. */
  alerts: AlertSink;
  host: FunctionsHost;
  duckdbPath: string;
  logPath: string;
}

/**
 * Orchestrator settings a developer's shell may hold for other work. They are removed so
 * the demo runs the defaults its topics are built from, and so nothing (the prediction
 * coordinator, BigQuery) is ever called beyond loopback.
 */
const INHERITED_SETTINGS_REMOVED = [
  /^GCLOUD_PROJECT$/,
  /^GOOGLE_APPLICATION_CREDENTIALS$/,
  /^(STATE_COLLECTION|COMPLETION_TOPIC|TRIGGER_TOPIC|EXPECTED_PROCESSORS)$/,
  /^(PROCESSOR_ALIASES|TRIGGER_RULE|MAX_MESSAGE_AGE_HOURS|PUBLISH_LEASE_MS|MAX_BODY_BYTES)$/,
  /^(ADMIN_TOKEN|COORDINATOR_URL|K_REVISION|FUNCTION_REGION)$/,
  /^BIGQUERY_/,
  /^ALERT_/,
];

/** Per-request limit on `/health`: it makes no network call, but the first waits for start-up. */
const HEALTH_TIMEOUT_MS = 30_000;

/**
 * Asks each function for `GET /health`. Its first answer waits until the orchestrator is
 * built (clients, backup file), so a broken start-up shows here, named, before any message.
 */
async function checkHealth(host: FunctionsHost): Promise<void> {
  for (const fn of host.functions) {
    const url = `${fn.url}/health`;
    const response = await fetch(url, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    const body = await response.text();
    if (response.status !== 200) {
      throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 300)}`);
    }
  }
}

/**
 * Starts the emulators, the webhook stand-in and the functions host, after clearing the
 * previous run's backup and log. Each part is registered with `resources` as soon as it
 * starts, so an interruption at any point stops what is already running.
 */
export async function startEnvironment(
  options: DemoOptions,
  resources: Resources,
  timeline: Timeline,
  deadline: Deadline,
): Promise<DemoEnvironment> {
  const binaries = emulatorBinaries();
  if (!binaries.ok) {
    throw new Error(
      `the Firestore and Pub/Sub emulators are needed: ${binaries.reason}.\n` +
        "Install them with: gcloud components install cloud-firestore-emulator pubsub-emulator " +
        "(and a Java runtime), or set CLOUDSDK_ROOT_DIR to the Cloud SDK folder.",
    );
  }
  const duckdbPath = join(options.workDir, "backup.duckdb");
  const logPath = join(options.workDir, "functions.log");
  mkdirSync(options.workDir, { recursive: true });
  for (const path of [duckdbPath, `${duckdbPath}.wal`, logPath]) rmSync(path, { force: true });

  const start = (kind: "firestore" | "pubsub") => {
    const emulator = startEmulator(kind);
    resources.add(`${kind} emulator`, async () => {
      await (await emulator.catch(() => null))?.stop();
    });
    return emulator;
  };
  const [firestore, pubsub] = await deadline.race(
    Promise.all([start("firestore"), start("pubsub")]),
    "the emulators",
  );
  timeline.add(
    "setup",
    `emulators: firestore ${firestore.host} (pid ${firestore.pid}), pubsub ${pubsub.host} (pid ${pubsub.pid})`,
  );

  const alerts = await startAlertSink();
  resources.add("alert webhook stand-in", () => alerts.close());

  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (INHERITED_SETTINGS_REMOVED.some((pattern) => pattern.test(key))) delete env[key];
  }
  Object.assign(env, {
    GOOGLE_CLOUD_PROJECT: options.projectId,
    METADATA_SERVER_DETECTION: "none",
    FIRESTORE_EMULATOR_HOST: firestore.host,
    PUBSUB_EMULATOR_HOST: pubsub.host,
    BACKUP_KIND: "duckdb",
    DUCKDB_PATH: duckdbPath,
    ALERTS_ENABLED: "true",
    SLACK_WEBHOOK_URL: alerts.url,
    APP_VERSION: "local-demo",
  });
  const startingHost = startFunctionsHost(env, logPath);
  resources.add("functions", async () => {
    await (await startingHost.catch(() => null))?.stop();
  });
  const host = await deadline.race(startingHost, "the functions to start");
  const names = host.functions.map((f) => `${f.name} ${f.url}`).join(", ");
  timeline.add("setup", `functions (one process, pid ${host.pid}): ${names}`);
  await deadline.race(checkHealth(host), "the functions to answer GET /health");
  return { firestore, pubsub, alerts, host, duckdbPath, logPath };
}
