import { ConfigurationError } from "../errors";
import type { FunctionSpec } from "./manifest";

/** Label on each deployed function that records the commit it was built from. */
export const COMMIT_LABEL = "commit-sha";

/** Values only known when deploying. */
export interface DeployContext {
  project: string;
  commitSha: string;
  /** Folder holding the built bundle (`functions/<name>/bundle`). */
  bundleDir: string;
  /** Where `--env-vars-file` will be written; values with commas or JSON need a file. */
  envFile: string;
  /** Source of `${VAR}` placeholders in the manifest's environment. */
  variables: Record<string, string | undefined>;
}

/** One command to run, as argv (never through a shell). */
export type Command = readonly string[];

/** The deploy of one function: the env-vars file to write, then the commands in order. */
export interface DeployPlan {
  envFileContent: string;
  deploy: Command;
  /** Creates the push subscription when it does not exist yet. */
  createSubscription: Command;
  /** Brings an existing push subscription in line with the manifest. */
  updateSubscription: Command;
  describeSubscription: Command;
  describeUrl: Command;
}

/** Fills `${VAR}` placeholders; a missing variable is a configuration error, not an empty value. */
export function expandEnvironment(
  environment: Record<string, string>,
  variables: Record<string, string | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(environment)) {
    out[key] = value.replace(/\$\{([A-Z][A-Z0-9_]*)\}/g, (_match, name: string) => {
      const v = variables[name];
      if (v === undefined || v === "") {
        throw new ConfigurationError(`${key} needs \${${name}}, which is not set`);
      }
      return v;
    });
  }
  return out;
}

/** Builds the exact gcloud commands that deploy `spec` and wire its push subscription. */
export function planDeploy(spec: FunctionSpec, ctx: DeployContext): DeployPlan {
  if (!/^[0-9a-f]{40}$/.test(ctx.commitSha)) {
    throw new ConfigurationError(`commit must be a full 40-character SHA, got "${ctx.commitSha}"`);
  }
  const environment = {
    GOOGLE_CLOUD_PROJECT: ctx.project,
    FUNCTION_REGION: spec.region,
    APP_VERSION: ctx.commitSha,
    ...expandEnvironment(spec.environment, { ...ctx.variables, PROJECT_ID: ctx.project }),
  };
  const where = ["--project", ctx.project];
  const sa = (id: string) => `${id}@${ctx.project}.iam.gserviceaccount.com`;
  const secrets = Object.entries(spec.secrets)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  const deploy: Command = [
    "gcloud",
    "functions",
    "deploy",
    spec.name,
    ...where,
    "--gen2",
    `--region=${spec.region}`,
    `--runtime=${spec.runtime}`,
    `--source=${ctx.bundleDir}`,
    `--entry-point=${spec.entryPoint}`,
    "--trigger-http",
    "--no-allow-unauthenticated",
    `--ingress-settings=${spec.ingress}`,
    `--memory=${spec.memoryMb}Mi`,
    `--timeout=${spec.timeoutSeconds}s`,
    `--min-instances=${spec.minInstances}`,
    `--max-instances=${spec.maxInstances}`,
    `--service-account=${sa(spec.serviceAccountId)}`,
    `--env-vars-file=${ctx.envFile}`,
    ...(secrets ? [`--set-secrets=${secrets}`] : []),
    `--update-labels=${COMMIT_LABEL}=${ctx.commitSha}`,
    "--quiet",
  ];
  const t = spec.trigger;
  const subscriptionFlags = [
    // The function URL is resolved after the deploy; `{url}` is replaced then.
    "--push-endpoint={url}",
    `--push-auth-service-account=${sa(t.pushInvokerServiceAccountId)}`,
    `--ack-deadline=${t.ackDeadlineSeconds}`,
    `--min-retry-delay=${t.minRetryDelaySeconds}s`,
    `--max-retry-delay=${t.maxRetryDelaySeconds}s`,
    `--dead-letter-topic=${t.deadLetterTopic}`,
    `--max-delivery-attempts=${t.maxDeliveryAttempts}`,
  ];
  return {
    envFileContent: toEnvYaml(environment),
    deploy,
    describeUrl: [
      "gcloud",
      "functions",
      "describe",
      spec.name,
      ...where,
      `--region=${spec.region}`,
      "--format=value(serviceConfig.uri)",
    ],
    describeSubscription: [
      "gcloud",
      "pubsub",
      "subscriptions",
      "describe",
      t.subscription,
      ...where,
      "--format=value(name)",
    ],
    createSubscription: [
      "gcloud",
      "pubsub",
      "subscriptions",
      "create",
      t.subscription,
      ...where,
      `--topic=${t.topic}`,
      ...subscriptionFlags,
    ],
    updateSubscription: [
      "gcloud",
      "pubsub",
      "subscriptions",
      "update",
      t.subscription,
      ...where,
      ...subscriptionFlags,
    ],
  };
}

/** Fills the `{url}` placeholder of a subscription command. */
export function withUrl(command: Command, url: string): Command {
  return command.map((arg) => arg.replace("{url}", url));
}

/** YAML for `--env-vars-file`: every value a JSON string, which YAML reads verbatim. */
function toEnvYaml(environment: Record<string, string>): string {
  return Object.entries(environment)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join("\n")
    .concat("\n");
}

/** Quotes argv for display so that a copied `--dry-run` line runs as printed. */
export function shellQuote(command: Command): string {
  return command
    .map((a) => (/^[\w@%+=:,./{}-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(" ");
}
