import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TRANSITION_NAMES, TRANSITIONS } from "../config/transition_defaults";
import { ConfigurationError } from "../errors";
import { type ManifestFile, manifestFileSchema } from "./manifest_file";

/** Where the deployment settings live, relative to the repository root. */
export const MANIFEST_PATH = "deploy/functions.json";

/** Everything needed to build, deploy and check one orchestrator function. */
export interface FunctionSpec {
  /** Deployed function name, also its folder under `functions/`. */
  name: string;
  entryPoint: string;
  /** Source folder relative to the repository root. */
  sourceDir: string;
  region: string;
  runtime: string;
  memoryMb: number;
  timeoutSeconds: number;
  minInstances: number;
  maxInstances: number;
  ingress: string;
  /** Service account id (without `@project…`) the function runs as. */
  serviceAccountId: string;
  trigger: {
    kind: "http-push";
    topic: string;
    subscription: string;
    deadLetterTopic: string;
    ackDeadlineSeconds: number;
    minRetryDelaySeconds: number;
    maxRetryDelaySeconds: number;
    maxDeliveryAttempts: number;
    pushInvokerServiceAccountId: string;
  };
  /** Env var name → Secret Manager `secret:version`. */
  secrets: Record<string, string>;
  /** Env var name → value; `${VAR}` is filled in at deploy time (see `expandEnvironment`). */
  environment: Record<string, string>;
  /** Paths whose change means the deployed code is stale: its folder plus the shared inputs. */
  inputs: string[];
}

/** The deploy manifest: the orchestrators in pipeline order. */
export interface DeployManifest {
  functions: FunctionSpec[];
}

/** Reads and validates `deploy/functions.json` under `repoRoot` and merges it with the defaults. */
export function loadManifest(repoRoot: string): DeployManifest {
  const path = join(repoRoot, MANIFEST_PATH);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigurationError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return buildManifest(raw);
}

/** Validates already-parsed manifest JSON; exported so tests can feed variants. */
export function buildManifest(raw: unknown): DeployManifest {
  const parsed = manifestFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigurationError(`invalid ${MANIFEST_PATH}: ${problems.join("; ")}`);
  }
  const file = parsed.data;
  const phases = new Set(TRANSITION_NAMES.map((n) => TRANSITIONS[n].targetPhase));
  for (const phase of Object.keys(file.byTargetPhase)) {
    if (!phases.has(phase)) {
      throw new ConfigurationError(`${MANIFEST_PATH}: byTargetPhase.${phase} matches no function`);
    }
  }
  return { functions: TRANSITION_NAMES.map((name) => specFor(name, file)) };
}

function specFor(name: (typeof TRANSITION_NAMES)[number], file: ManifestFile): FunctionSpec {
  const t = TRANSITIONS[name];
  const extra = file.byTargetPhase[t.targetPhase];
  const sourceDir = `functions/${name}`;
  return {
    name,
    entryPoint: t.entryPoint,
    sourceDir,
    region: file.region,
    runtime: file.runtime,
    memoryMb: extra?.memoryMb ?? file.memoryMb,
    timeoutSeconds: file.timeoutSeconds,
    minInstances: file.minInstances,
    maxInstances: extra?.maxInstances ?? file.maxInstances,
    ingress: file.ingress,
    serviceAccountId: name,
    trigger: {
      kind: file.trigger.kind,
      topic: t.completionTopic,
      subscription: `${name}${file.trigger.subscriptionSuffix}`,
      deadLetterTopic: `${name}${file.trigger.deadLetterTopicSuffix}`,
      ackDeadlineSeconds: file.trigger.ackDeadlineSeconds,
      minRetryDelaySeconds: file.trigger.minRetryDelaySeconds,
      maxRetryDelaySeconds: file.trigger.maxRetryDelaySeconds,
      maxDeliveryAttempts: file.trigger.maxDeliveryAttempts,
      pushInvokerServiceAccountId: file.trigger.pushInvokerServiceAccount,
    },
    secrets: { ...file.secrets, ...extra?.secrets },
    // The identity values are written out so the deployed configuration is visible in the
    // console, and so a changed default in code cannot silently differ from what runs.
    environment: {
      STATE_COLLECTION: t.collection,
      COMPLETION_TOPIC: t.completionTopic,
      TRIGGER_TOPIC: t.triggerTopic,
      EXPECTED_PROCESSORS: t.expectedProcessors.join(","),
      PROCESSOR_ALIASES: JSON.stringify(t.aliases),
      TRIGGER_RULE: JSON.stringify(t.rule),
      ...file.environment,
      ...extra?.environment,
    },
    inputs: [sourceDir, ...file.sharedInputs],
  };
}

/** The function called `name`, or a `ConfigurationError` listing the known names. */
export function findFunction(manifest: DeployManifest, name: string): FunctionSpec {
  const spec = manifest.functions.find((f) => f.name === name);
  if (!spec) {
    const known = manifest.functions.map((f) => f.name).join(", ");
    throw new ConfigurationError(`unknown function "${name}"; the manifest has: ${known}`);
  }
  return spec;
}
