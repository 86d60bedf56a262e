import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import {
  emulatorBinaries,
  freePort,
  type RunningEmulator,
  startEmulator,
} from "@orchestrator/shared/emulators";
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

/** Per-request limit while checking the functions: the first waits for their start-up. */
const READY_TIMEOUT_MS = 30_000;

/**
 * Asks each function for `GET /health`, then `GET /status` of the demo's date. The first
 * answer waits until the orchestrator is built (clients, backup file), so a broken start-up
 * shows here, named, before any message; the status read opens each function's Firestore
 * connection, which would otherwise slow the first delivery.
 */
async function checkReady(host: FunctionsHost, gameDate: string): Promise<void> {
  await Promise.all(
    host.functions
      .flatMap((fn) => [`${fn.url}/health`, `${fn.url}/status?date=${gameDate}`])
      .map(async (url) => {
        const response = await fetch(url, { signal: AbortSignal.timeout(READY_TIMEOUT_MS) });
        const body = await response.text();
        if (response.status !== 200) {
          throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 300)}`);
        }
      }),
  );
}

/**
 * The functions' environment: the caller's, less the orchestrator settings it may hold,
 * plus the demo's loopback settings in `demo`.
 */
function functionsEnv(demo: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (INHERITED_SETTINGS_REMOVED.some((pattern) => pattern.test(key))) delete env[key];
  }
  return {
    ...env,
    METADATA_SERVER_DETECTION: "none",
    BACKUP_KIND: "duckdb",
    ALERTS_ENABLED: "true",
    APP_VERSION: "local-demo",
    ...demo,
  };
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

  // The functions need the emulators' addresses when they load, not their answers: with
  // the ports chosen first, the functions host loads while the emulators boot.
  const [firestorePort, pubsubPort] = await Promise.all([freePort(), freePort()]);
  const start = (kind: "firestore" | "pubsub", port: number) => {
    const emulator = startEmulator(kind, { port });
    resources.add(`${kind} emulator`, async () => {
      await (await emulator.catch(() => null))?.stop();
    });
    return emulator;
  };
  const emulators = Promise.all([start("firestore", firestorePort), start("pubsub", pubsubPort)]);
  const alerts = await startAlertSink();
  resources.add("alert webhook stand-in", () => alerts.close());
  const env = functionsEnv({
    GOOGLE_CLOUD_PROJECT: options.projectId,
    FIRESTORE_EMULATOR_HOST: `127.0.0.1:${firestorePort}`,
    PUBSUB_EMULATOR_HOST: `127.0.0.1:${pubsubPort}`,
    DUCKDB_PATH: duckdbPath,
    SLACK_WEBHOOK_URL: alerts.url,
  });
  const startingHost = startFunctionsHost(env, logPath);
  resources.add("functions", async () => {
    await (await startingHost.catch(() => null))?.stop();
  });

  const [firestore, pubsub] = await deadline.race(emulators, "the emulators");
  timeline.add(
    "setup",
    `emulators: firestore ${firestore.host} (pid ${firestore.pid}), pubsub ${pubsub.host} (pid ${pubsub.pid})`,
  );
  const host = await deadline.race(startingHost, "the functions to start");
  const names = host.functions.map((f) => `${f.name} ${f.url}`).join(", ");
  timeline.add("setup", `functions (one process, pid ${host.pid}): ${names}`);
  await deadline.race(checkReady(host, options.gameDate), "the functions to answer");
  timeline.add("setup", "functions answer GET /health and GET /status");
  return { firestore, pubsub, alerts, host, duckdbPath, logPath };
}
