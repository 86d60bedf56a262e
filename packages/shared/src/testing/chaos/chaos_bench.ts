import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Firestore } from "@google-cloud/firestore";
import { TRANSITIONS, type TransitionName } from "../../config/transition_defaults";
import { BigQueryStandIn } from "../bigquery_stand_in";
import { type RunningEmulator, startEmulator } from "../emulators";
import { startWebhookStandIn, type WebhookStandIn } from "../webhook_stand_in";
import { DeliveryDriver, type DriverOptions } from "./delivery_driver";
import type { DeliveryPlan } from "./delivery_plan";
import { DurableFirestoreEmulator } from "./durable_firestore";
import { InstancePool } from "./instance_pool";
import { checkScenario, formatFigures, type ScenarioFigures } from "./scenario_check";
import { TcpFaultProxy } from "./tcp_fault_proxy";
import { TriggerWatch } from "./trigger_watch";

/** Recognisable secrets: the output of every instance is searched for them afterwards. */
export const CHAOS_ADMIN_TOKEN = "chaos-admin-token-SHOULD-NEVER-BE-LOGGED-7f3a";

/**
 * Everything the fault scenarios run on: their own Firestore and Pub/Sub emulators (each
 * behind a TcpFaultProxy, so they can be cut off, killed and restarted without touching the
 * emulators other test files share), the BigQuery and Slack stand-ins, and a pool of
 * function processes pointed at all of them.
 */
export class ChaosBench {
  readonly lines: string[] = [];
  private constructor(
    readonly functionName: TransitionName,
    readonly projectId: string,
    readonly firestoreEmulator: DurableFirestoreEmulator,
    public pubsubEmulator: RunningEmulator,
    readonly firestoreProxy: TcpFaultProxy,
    readonly pubsubProxy: TcpFaultProxy,
    readonly bigquery: BigQueryStandIn,
    readonly slack: WebhookStandIn,
    readonly pool: InstancePool,
    readonly watch: TriggerWatch,
    readonly firestore: Firestore,
  ) {}

  /** Starts the emulators, stand-ins and `instances` function processes. */
  static async start(functionName: TransitionName, instances: number): Promise<ChaosBench> {
    const projectId = `chaos-${Date.now().toString(36)}`;
    const [firestoreEmulator, pubsubEmulator, bigquery, slack] = await Promise.all([
      DurableFirestoreEmulator.start(mkdtempSync(join(tmpdir(), "orch-chaos-"))),
      startEmulator("pubsub"),
      BigQueryStandIn.start(),
      startWebhookStandIn(),
    ]);
    const firestoreProxy = await TcpFaultProxy.start(firestoreEmulator.host);
    const pubsubProxy = await TcpFaultProxy.start(pubsubEmulator.host);
    const defaults = TRANSITIONS[functionName];
    let bench: ChaosBench | undefined;
    const watch = new TriggerWatch(
      () => (bench?.pubsubEmulator ?? pubsubEmulator).host,
      projectId,
      defaults.triggerTopic,
    );
    await watch.create();
    const pool = new InstancePool(functionName, {
      GOOGLE_CLOUD_PROJECT: projectId,
      FIRESTORE_EMULATOR_HOST: firestoreProxy.host,
      PUBSUB_EMULATOR_HOST: pubsubProxy.host,
      BACKUP_KIND: "bigquery",
      BIGQUERY_API_ENDPOINT: bigquery.url,
      SLACK_WEBHOOK_URL: slack.url,
      ADMIN_TOKEN: CHAOS_ADMIN_TOKEN,
      ALERT_BUDGET_MS: "1500",
      // A short lease keeps a crashed claimer from holding its date for long; the publish
      // deadline must stay below it.
      PUBLISH_LEASE_MS: "3000",
      PUBLISH_TIMEOUT_MS: "2000",
    });
    await pool.start(instances);
    // The checker reads the emulator directly, never through the proxy it cuts.
    const previous = process.env.FIRESTORE_EMULATOR_HOST;
    process.env.FIRESTORE_EMULATOR_HOST = firestoreEmulator.host;
    const firestore = new Firestore({ projectId });
    process.env.FIRESTORE_EMULATOR_HOST = previous;
    bench = new ChaosBench(
      functionName,
      projectId,
      firestoreEmulator,
      pubsubEmulator,
      firestoreProxy,
      pubsubProxy,
      bigquery,
      slack,
      pool,
      watch,
      firestore,
    );
    return bench;
  }

  /**
   * Stops the Pub/Sub emulator and starts a new one on the same port. The emulator keeps
   * topics in memory only, so the trigger topic and subscription are created again, as they
   * would still exist in real Pub/Sub; drain the watch before calling this.
   */
  async restartPubsub(): Promise<void> {
    const port = this.pubsubEmulator.port;
    await this.pubsubEmulator.stop();
    this.pubsubEmulator = await startEmulator("pubsub", { port });
    await this.watch.create();
  }

  /** A driver over the pool's live instances, with the scenario defaults. */
  driver(overrides: Partial<DriverOptions> = {}): DeliveryDriver {
    return new DeliveryDriver({
      targets: () => Array.from({ length: this.pool.size }, (_, i) => this.pool.at(i).url),
      concurrency: 6,
      ackDeadlineMs: 15_000,
      retryDelayMs: 250,
      maxAttempts: 60,
      seed: 9,
      ...overrides,
    });
  }

  /** Checks the end state of one scenario, prints its line and returns the figures. */
  async finish(
    scenario: string,
    plan: DeliveryPlan,
    driver: DeliveryDriver,
  ): Promise<ScenarioFigures & { problems: string[] }> {
    await this.watch.drain();
    const dates = new Set(plan.dates);
    const triggers = this.watch.received.filter((t) =>
      dates.has((JSON.parse(t.data.toString()) as { game_date: string }).game_date),
    );
    const figures = await checkScenario({
      scenario,
      plan,
      stats: driver.stats,
      firestore: this.firestore,
      collection: TRANSITIONS[this.functionName].collection,
      triggers,
    });
    const line = formatFigures(figures);
    this.lines.push(line);
    process.stdout.write(`${line}\n`);
    return figures;
  }

  async close(): Promise<void> {
    await this.pool.stopAll();
    await this.firestore.terminate();
    await Promise.all([
      this.firestoreProxy.close(),
      this.pubsubProxy.close(),
      this.bigquery.close(),
      this.slack.close(),
    ]);
    await Promise.all([this.firestoreEmulator.dispose(), this.pubsubEmulator.stop()]);
  }
}
