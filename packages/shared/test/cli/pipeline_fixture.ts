import { Firestore } from "@google-cloud/firestore";
import { PubSub } from "@google-cloud/pubsub";
import { runCli } from "../../src/cli/orchestrator/main";
import { ManualClock } from "../../src/clock";
import { loadConfig } from "../../src/config/load_config";
import { TRANSITION_NAMES, type TransitionName } from "../../src/config/transition_defaults";
import { createOrchestrator } from "../../src/http/create_orchestrator";
import { type Orchestrator, route } from "../../src/http/orchestrator_app";
import { memoryLogger } from "../../src/logging/logger";
import type { TriggerMessage } from "../../src/messages/trigger_message";
import { emulatorHosts, uniqueProjectId } from "../../src/testing/emulator_suite";
import { pullAll } from "../../src/testing/pubsub_rest";
import { pushRequest } from "../support/orchestrator_fixture";

/** What one CLI run printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The three orchestrators in one emulator project, and the CLI pointed at it. */
export interface PipelineFixture {
  projectId: string;
  clock: ManualClock;
  env: Record<string, string>;
  orchestrators: Record<TransitionName, Orchestrator>;
  /** Pushes completion messages to one orchestrator, as Pub/Sub would. */
  play(name: TransitionName, messages: unknown[]): Promise<void>;
  /** Trigger messages published on that orchestrator's trigger topic since the last call. */
  triggers(
    name: TransitionName,
  ): Promise<{ message: TriggerMessage; attributes: Record<string, string> }[]>;
  cli(...args: string[]): Promise<CliRun>;
  close(): Promise<void>;
}

/** Builds the pipeline on the emulators in a fresh project (backup off unless `env` says). */
export async function pipelineFixture(env: Record<string, string> = {}): Promise<PipelineFixture> {
  const projectId = uniqueProjectId("cli");
  const fullEnv = { GOOGLE_CLOUD_PROJECT: projectId, BACKUP_KIND: "none", ...env };
  const firestore = new Firestore({ projectId, ignoreUndefinedProperties: true });
  const pubsub = new PubSub({ projectId });
  const clock = new ManualClock("2026-01-28T12:00:00Z");
  const orchestrators = {} as Record<TransitionName, Orchestrator>;
  for (const name of TRANSITION_NAMES) {
    const config = loadConfig(name, fullEnv);
    const [topic] = await pubsub.createTopic(config.triggerTopic);
    await topic.createSubscription(`watch-${name}`);
    orchestrators[name] = await createOrchestrator(config, {
      firestore,
      pubsub,
      clock,
      logger: memoryLogger().logger,
      env: fullEnv,
    });
  }
  const pubsubHost = emulatorHosts()?.pubsubHost ?? "";
  return {
    projectId,
    clock,
    env: fullEnv,
    orchestrators,
    async play(name, messages) {
      for (const m of messages) {
        const reply = await route(orchestrators[name], pushRequest(m));
        if (reply.status !== 200) throw new Error(`push answered ${reply.status}`);
      }
    },
    async triggers(name) {
      const pulled = await pullAll(pubsubHost, projectId, `watch-${name}`);
      return pulled.map((m) => ({
        message: JSON.parse(m.data.toString()) as TriggerMessage,
        attributes: m.attributes,
      }));
    },
    async cli(...args) {
      let stdout = "";
      let stderr = "";
      const code = await runCli(args, {
        stdout: (t) => {
          stdout += t;
        },
        stderr: (t) => {
          stderr += t;
        },
        env: { ...process.env, ...fullEnv, USER: "test-operator" },
        stdoutIsTty: false,
        stderrIsTty: false,
        clock,
      });
      return { code, stdout, stderr };
    },
    async close() {
      await Promise.all(Object.values(orchestrators).map((o) => o.backup?.close()));
      await pubsub.close();
      await firestore.terminate();
    },
  };
}
