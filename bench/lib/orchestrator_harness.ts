import { loadConfig } from "../../packages/shared/src/config/load_config";
import type { TransitionName } from "../../packages/shared/src/config/transition_defaults";
import { createOrchestrator } from "../../packages/shared/src/http/create_orchestrator";
import { type Orchestrator, route } from "../../packages/shared/src/http/orchestrator_app";
import { Logger } from "../../packages/shared/src/logging/logger";
import type { TriggerMessage } from "../../packages/shared/src/messages/trigger_message";
import { pullAll } from "../../packages/shared/src/testing/pubsub_rest";
import { benchProjectId } from "./bench_env";
import { Firestore, type FirestoreClient, PubSub, type PubSubClient } from "./gcp";
import { type BenchCompletion, pushRequest } from "./push";

/** Subscription on the trigger topic that the benchmark pulls to count triggers. */
const TRIGGER_WATCH = "bench-trigger-watch";

/** One real orchestrator in this process, on the emulators, in its own project. */
export interface BenchOrchestrator {
  orchestrator: Orchestrator;
  projectId: string;
  firestore: FirestoreClient;
  pubsub: PubSubClient;
  /** Log lines at ERROR or above, so a run that "succeeds" by failing is caught. */
  errorLines: string[];
  /** How many deliveries ended in each action (`waiting`, `triggered`, …), as answered. */
  actions: Map<string, number>;
  /** Delivers one completion through `route()`, as the HTTP entry point would; true on 2xx. */
  send: (message: BenchCompletion, messageId: string) => Promise<boolean>;
  /** Pulls (and acknowledges) every trigger published since the last call. */
  pullTriggers: () => Promise<TriggerMessage[]>;
  close: () => Promise<void>;
}

/**
 * Builds orchestrator `name` through `createOrchestrator`, so that whatever the product
 * wires in (retries, breaker, gates) is measured too. Logs are formatted as in production
 * and then dropped, keeping their cost but not flooding the terminal.
 */
export async function benchOrchestrator(
  name: TransitionName,
  pubsubHost: string,
  env: Record<string, string> = {},
): Promise<BenchOrchestrator> {
  const projectId = benchProjectId(name.slice(0, 6));
  const fullEnv = { GOOGLE_CLOUD_PROJECT: projectId, BACKUP_KIND: "none", ...env };
  const config = loadConfig(name, fullEnv);
  const firestore = new Firestore({ projectId, ignoreUndefinedProperties: true });
  const pubsub = new PubSub({ projectId });
  const [topic] = await pubsub.createTopic(config.triggerTopic);
  await topic.createSubscription(TRIGGER_WATCH);
  const errorLines: string[] = [];
  const logger = new Logger((line) => {
    if (/"severity":"(ERROR|CRITICAL)"/.test(line)) errorLines.push(line);
  });
  const orchestrator = await createOrchestrator(config, {
    firestore,
    pubsub,
    logger,
    env: fullEnv,
  });
  const actions = new Map<string, number>();
  return {
    orchestrator,
    actions,
    projectId,
    firestore,
    pubsub,
    errorLines,
    send: async (message, messageId) => {
      const reply = await route(orchestrator, pushRequest(message, messageId));
      const action = String((reply.body as { status?: unknown } | null)?.status ?? reply.status);
      actions.set(action, (actions.get(action) ?? 0) + 1);
      return reply.status >= 200 && reply.status < 300;
    },
    pullTriggers: async () => {
      const pulled = await pullAll(pubsubHost, projectId, TRIGGER_WATCH);
      return pulled.map((m) => JSON.parse(m.data.toString()) as TriggerMessage);
    },
    close: async () => {
      await orchestrator.backup?.close?.();
      await pubsub.close();
      await firestore.terminate();
    },
  };
}
