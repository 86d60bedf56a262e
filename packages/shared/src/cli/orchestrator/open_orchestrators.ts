import { Firestore } from "@google-cloud/firestore";
import { PubSub } from "@google-cloud/pubsub";
import { systemClock } from "../../clock";
import { loadConfig } from "../../config/load_config";
import type { TransitionName } from "../../config/transition_defaults";
import { createOrchestrator } from "../../http/create_orchestrator";
import type { Orchestrator } from "../../http/orchestrator_app";
import { Logger } from "../../logging/logger";
import { PubSubTriggerPublisher, type TriggerPublisher } from "../../publish/trigger_publisher";
import type { CliIo } from "./cli_io";

/** Orchestrators opened by one CLI run, and the clients they share. */
export interface OpenOrchestrators {
  get(name: TransitionName): Promise<Orchestrator>;
  /** The publisher every orchestrator of this run publishes with. */
  publisher: TriggerPublisher;
  close(): Promise<void>;
}

/**
 * Builds orchestrators exactly as the deployed functions do (`createOrchestrator` over
 * `loadConfig(name, env)`), so the CLI reads and writes the same documents through the same
 * code. One Firestore and one Pub/Sub client serve all of them and are closed at the end.
 */
export function openOrchestrators(
  io: CliIo,
  options: { verbose?: boolean } = {},
): OpenOrchestrators {
  const env = { ...io.env };
  const projectId = env.GOOGLE_CLOUD_PROJECT ?? env.GCLOUD_PROJECT;
  const ownFirestore = io.firestore === undefined;
  const ownPubsub = io.pubsub === undefined;
  let firestore: Firestore | undefined = io.firestore;
  let pubsub: PubSub | undefined = io.pubsub;
  const clients = () => {
    firestore ??= new Firestore({ projectId, ignoreUndefinedProperties: true });
    pubsub ??= new PubSub({ projectId });
    return { firestore, pubsub };
  };
  // Library lines go to stderr with --verbose and nowhere otherwise: stdout is the answer.
  const logger = new Logger(options.verbose ? (line) => io.stderr(`${line}\n`) : () => {});
  const built = new Map<TransitionName, Orchestrator>();
  let publisher: TriggerPublisher | undefined;
  const publisherFor = () => {
    publisher ??= new PubSubTriggerPublisher(clients().pubsub);
    return publisher;
  };
  return {
    get publisher() {
      return publisherFor();
    },
    async get(name) {
      const existing = built.get(name);
      if (existing) return existing;
      const config = loadConfig(name, env);
      const { firestore: db, pubsub: ps } = clients();
      const orchestrator = await createOrchestrator(config, {
        firestore: db,
        pubsub: ps,
        publisher: publisherFor(),
        clock: io.clock ?? systemClock,
        logger,
        env,
      });
      built.set(name, orchestrator);
      return orchestrator;
    },
    async close() {
      await Promise.all([...built.values()].map((o) => o.backup?.close()));
      if (ownPubsub) await pubsub?.close();
      if (ownFirestore) await firestore?.terminate();
    },
  };
}
