import type { PubSub } from "@google-cloud/pubsub";
import type { BackupStore } from "../backup/backup_store";
import type { Clock } from "../clock";
import type { OrchestratorConfig } from "../config/load_config";
import { ConfigurationError, PermanentDependencyError } from "../errors";
import type { StateStore } from "../state/state_store";
import { type DependencyCheck, ReadinessChecker, type ReadinessTimers } from "./readiness";

/** Answers whether a Pub/Sub topic exists; injected so the check works on any client. */
export type TopicExists = (topic: string) => Promise<boolean>;

/** `TopicExists` on a real (or emulator) Pub/Sub client. */
export function topicExistsOn(pubsub: PubSub): TopicExists {
  return async (topic) => {
    const [exists] = await pubsub.topic(topic).exists();
    return exists;
  };
}

/** What the readiness checks of one orchestrator need. */
export interface ReadinessDeps {
  config: OrchestratorConfig;
  state: Pick<StateStore, "ping">;
  backup: Pick<BackupStore, "kind" | "ping"> | null;
  topicExists: TopicExists;
  clock: Clock;
  env?: Record<string, string | undefined>;
  timers?: ReadinessTimers;
}

/**
 * The checks of one orchestrator: Firestore, the backup store (when configured) and both
 * of its topics (it reads the completion topic through its subscription and publishes to
 * the trigger topic). Reads `READY_TIMEOUT_MS` from `env`.
 */
export function createReadiness(deps: ReadinessDeps): ReadinessChecker {
  const { config } = deps;
  const checks: DependencyCheck[] = [{ name: "firestore", probe: () => deps.state.ping() }];
  const backup = deps.backup;
  if (backup) checks.push({ name: backup.kind, probe: () => backup.ping() });
  for (const topic of [config.completionTopic, config.triggerTopic]) {
    checks.push({
      name: `pubsub:${topic}`,
      probe: async () => {
        if (!(await deps.topicExists(topic))) {
          throw new PermanentDependencyError("pubsub", "topic not found", {
            code: "topic_not_found",
          });
        }
      },
    });
  }
  return new ReadinessChecker(checks, {
    clock: deps.clock,
    timeoutMs: readyTimeoutMs(deps.env ?? {}),
    ...(deps.timers !== undefined && { timers: deps.timers }),
  });
}

function readyTimeoutMs(env: Record<string, string | undefined>): number | undefined {
  const raw = env.READY_TIMEOUT_MS;
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigurationError(`READY_TIMEOUT_MS must be a positive number, got "${raw}"`);
  }
  return value;
}
