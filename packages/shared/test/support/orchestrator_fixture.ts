import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Firestore } from "@google-cloud/firestore";
import { PubSub } from "@google-cloud/pubsub";
import { ManualClock } from "../../src/clock";
import { loadConfig } from "../../src/config/load_config";
import type { TransitionName } from "../../src/config/transition_defaults";
import { createOrchestrator, type OrchestratorOverrides } from "../../src/http/create_orchestrator";
import type { HttpRequest } from "../../src/http/http_types";
import { type Orchestrator, route } from "../../src/http/orchestrator_app";
import { memoryLogger } from "../../src/logging/logger";
import type { TriggerMessage } from "../../src/messages/trigger_message";
import { emulatorHosts, uniqueProjectId } from "../../src/testing/emulator_suite";
import { pullAll } from "../../src/testing/pubsub_rest";

const here = dirname(fileURLToPath(import.meta.url));
/** The shared fixtures folder beside the checkout (read-only). */
export const FIXTURES_DIR = join(here, "..", "..", "..", "..", "..", "shared", "fixtures");

/** Parses a JSON-lines fixture. */
export function readJsonLines<T = Record<string, unknown>>(name: string): T[] {
  return readFileSync(join(FIXTURES_DIR, name), "utf8")
    .split("\n")
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as T);
}

let counter = 0;

/** A Pub/Sub push request carrying `payload` as JSON. */
export function pushRequest(payload: unknown, messageId = `m-${++counter}`): HttpRequest {
  const data = Buffer.from(JSON.stringify(payload)).toString("base64");
  return pushRequestWithData(data, messageId);
}

/** A Pub/Sub push request with raw base64 `data`. */
export function pushRequestWithData(data: string, messageId = `m-${++counter}`): HttpRequest {
  return {
    method: "POST",
    path: "/",
    query: {},
    headers: { "content-type": "application/json" },
    body: {
      message: { data, messageId, publishTime: new Date().toISOString(), attributes: {} },
      subscription: "projects/p/subscriptions/s",
    },
  };
}

/** One orchestrator on the emulators, with its own project, topic and trigger subscription. */
export interface OrchestratorFixture {
  orchestrator: Orchestrator;
  firestore: Firestore;
  pubsub: PubSub;
  clock: ManualClock;
  logLines: string[];
  logs: () => Record<string, unknown>[];
  send: (payload: unknown, messageId?: string) => ReturnType<typeof route>;
  /** Trigger messages published so far (pulled from the emulator). */
  triggers: () => Promise<TriggerMessage[]>;
  close: () => Promise<void>;
}

/** Builds an orchestrator against the emulators in a fresh project. */
export async function orchestratorFixture(
  name: TransitionName,
  options: { now?: string; env?: Record<string, string>; overrides?: OrchestratorOverrides } = {},
): Promise<OrchestratorFixture> {
  const projectId = uniqueProjectId(name.slice(0, 6));
  const env = { GOOGLE_CLOUD_PROJECT: projectId, BACKUP_KIND: "none", ...options.env };
  const config = loadConfig(name, env);
  const firestore = new Firestore({ projectId, ignoreUndefinedProperties: true });
  const pubsub = new PubSub({ projectId });
  const [topic] = await pubsub.createTopic(config.triggerTopic);
  await topic.createSubscription("trigger-watch");
  const received: TriggerMessage[] = [];
  const pubsubHost = emulatorHosts()?.pubsubHost ?? "";
  const clock = new ManualClock(options.now ?? "2026-01-28T12:00:00Z");
  const { logger, lines, entries } = memoryLogger();
  const orchestrator = await createOrchestrator(config, {
    firestore,
    pubsub,
    clock,
    logger,
    backup: null,
    env,
    ...options.overrides,
  });
  return {
    orchestrator,
    firestore,
    pubsub,
    clock,
    logLines: lines,
    logs: entries,
    send: (payload, messageId) => route(orchestrator, pushRequest(payload, messageId)),
    triggers: async () => {
      const pulled = await pullAll(pubsubHost, projectId, "trigger-watch");
      received.push(...pulled.map((m) => JSON.parse(m.data.toString()) as TriggerMessage));
      return [...received];
    },
    close: async () => {
      await pubsub.close();
      await firestore.terminate();
    },
  };
}
