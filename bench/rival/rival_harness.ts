import { loadConfig } from "../../packages/shared/src/config/load_config";
import type { TransitionName } from "../../packages/shared/src/config/transition_defaults";
import { pullAll } from "../../packages/shared/src/testing/pubsub_rest";
import { benchProjectId } from "../lib/bench_env";
import { Firestore, type FirestoreClient, PubSub } from "../lib/gcp";
import { type BenchCompletion, pushRequest } from "../lib/push";
import { PerDateDocOrchestrator, type RivalAction } from "./per_date_doc_orchestrator";

const TRIGGER_WATCH = "bench-rival-trigger-watch";

/** The rival design on the emulators, in its own project. */
export interface RivalHarness {
  firestore: FirestoreClient;
  collection: string;
  /** Delivers one completion; true when it was handled without an error. */
  send: (message: BenchCompletion, messageId: string) => Promise<boolean>;
  /** Game dates of the triggers published since the last call. */
  pullTriggerDates: () => Promise<string[]>;
  close: () => Promise<void>;
}

/** Builds the rival for `transition` with the same configuration as the product's. */
export async function rivalHarness(
  transition: TransitionName,
  pubsubHost: string,
  env: Record<string, string> = {},
): Promise<RivalHarness> {
  const projectId = benchProjectId("rival");
  const config = loadConfig(transition, {
    GOOGLE_CLOUD_PROJECT: projectId,
    BACKUP_KIND: "none",
    ...env,
  });
  const firestore = new Firestore({ projectId, ignoreUndefinedProperties: true });
  const pubsub = new PubSub({ projectId });
  const [topic] = await pubsub.createTopic(config.triggerTopic);
  await topic.createSubscription(TRIGGER_WATCH);
  const rival = new PerDateDocOrchestrator(firestore, pubsub, config);
  return {
    firestore,
    collection: config.collection,
    send: async (message, messageId) => {
      const action: RivalAction = await rival.handle(pushRequest(message, messageId));
      return action !== undefined;
    },
    pullTriggerDates: async () => {
      const pulled = await pullAll(pubsubHost, projectId, TRIGGER_WATCH);
      return pulled.map((m) => (JSON.parse(m.data.toString()) as { game_date: string }).game_date);
    },
    close: async () => {
      await pubsub.close();
      await firestore.terminate();
    },
  };
}
