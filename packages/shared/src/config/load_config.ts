import { z } from "zod";
import type { CoordinatorCallSettings } from "../coordinator/coordinator_client";
import { ConfigurationError } from "../errors";
import { PROCESSOR_NAME_PATTERN } from "../messages/completion_message";
import { type GateSpec, gateListSchema } from "../gates/gate_config";
import { type TriggerRule, triggerRuleSchema } from "../rules/rule_config";
import { TRANSITIONS, type TransitionDefaults, type TransitionName } from "./transition_defaults";

/** Everything one orchestrator instance needs, resolved once at start-up. */
export interface OrchestratorConfig extends TransitionDefaults {
  projectId: string;
  region: string;
  /** Version reported by `/health`; the deploy sets it to the commit. */
  version: string;
  backup: {
    kind: "bigquery" | "duckdb" | "none";
    dataset: string;
    completionsTable: string;
    statusTable: string;
    location: string;
    /** Loopback stand-in for tests; unset in production. */
    apiEndpoint?: string;
    duckdbPath: string;
  };
  /** Messages published longer ago than this are dropped with an error log. */
  maxMessageAgeHours: number;
  /** How long the instance that claimed a trigger has to publish it before another may. */
  publishLeaseMs: number;
  /** Longest a trigger publish may retry inside the Pub/Sub client before it fails. */
  publishTimeoutMs: number;
  /** Game dates further ahead than this are refused as malformed. */
  maxGameDateDaysAhead: number;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Bearer token for the admin routes when running locally (production uses Google OIDC). */
  adminToken?: string;
  /** Expected audience of Google ID tokens on admin routes (the function URL). */
  adminAudience?: string;
  /** Service accounts allowed on admin routes (Cloud Scheduler, operators). */
  adminAllowedEmails: string[];
  /** Prediction coordinator base URL (phase 4→5 only). */
  coordinatorUrl?: string;
  /** Retries and deadline of the coordinator call. */
  coordinatorCall: CoordinatorCallSettings;
  /** BigQuery tables that must have rows for the date before the trigger is claimed. */
  readinessGates: GateSpec[];
  /** Game dates the sweep looks at: this many days before today (New York) … */
  sweepLookbackDays: number;
  /** … through this many days after it. */
  sweepLookaheadDays: number;
}

const csv = z.string().transform((s) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x.length > 0),
);

const jsonOf = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "is not valid JSON" });
        return z.NEVER;
      }
    })
    .pipe(schema);

const positiveNumber = z.coerce.number().positive();

const envSchema = z.object({
  GOOGLE_CLOUD_PROJECT: z.string().min(1).optional(),
  GCLOUD_PROJECT: z.string().min(1).optional(),
  FUNCTION_REGION: z.string().default("us-west2"),
  K_REVISION: z.string().optional(),
  APP_VERSION: z.string().optional(),
  STATE_COLLECTION: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
  COMPLETION_TOPIC: z.string().min(1).optional(),
  TRIGGER_TOPIC: z.string().min(1).optional(),
  EXPECTED_PROCESSORS: csv.optional(),
  PROCESSOR_ALIASES: jsonOf(z.record(z.string(), z.string())).optional(),
  TRIGGER_RULE: jsonOf(triggerRuleSchema).optional(),
  BACKUP_KIND: z.enum(["bigquery", "duckdb", "none"]).default("bigquery"),
  BIGQUERY_DATASET: z.string().regex(/^\w+$/).default("nba_orchestration"),
  BIGQUERY_COMPLETIONS_TABLE: z.string().regex(/^\w+$/).default("phase_completions"),
  BIGQUERY_STATUS_TABLE: z.string().regex(/^\w+$/).default("phase_completion_status"),
  BIGQUERY_LOCATION: z.string().default("US"),
  BIGQUERY_API_ENDPOINT: z.url().optional(),
  DUCKDB_PATH: z.string().default(".demo/backup.duckdb"),
  MAX_MESSAGE_AGE_HOURS: positiveNumber.default(72),
  PUBLISH_LEASE_MS: positiveNumber.default(30_000),
  PUBLISH_TIMEOUT_MS: positiveNumber.default(20_000),
  MAX_BODY_BYTES: positiveNumber.default(1_048_576),
  MAX_GAME_DATE_DAYS_AHEAD: positiveNumber.default(7),
  ADMIN_TOKEN: z.string().min(16).optional(),
  ADMIN_AUDIENCE: z.url().optional(),
  ADMIN_ALLOWED_EMAILS: csv.default([]),
  COORDINATOR_URL: z.url().optional(),
  COORDINATOR_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  COORDINATOR_BACKOFF_MS: positiveNumber.default(1_000),
  COORDINATOR_TIMEOUT_MS: positiveNumber.default(8_000),
  READINESS_GATES: jsonOf(gateListSchema).default([]),
  SWEEP_LOOKBACK_DAYS: z.coerce.number().int().min(0).max(60).default(3),
  SWEEP_LOOKAHEAD_DAYS: z.coerce.number().int().min(0).max(7).default(1),
});

/**
 * A typo in a processor name makes a phase wait forever for a processor that never
 * reports: every name the rule relies on must be one of the expected, well-formed names.
 */
function checkProcessorNames(
  expected: readonly string[],
  rule: TriggerRule,
  aliases: Record<string, string>,
): void {
  const problems: string[] = [];
  if (expected.length === 0) problems.push("EXPECTED_PROCESSORS is empty");
  const bad = expected.filter((name) => !PROCESSOR_NAME_PATTERN.test(name));
  if (bad.length > 0) problems.push(`EXPECTED_PROCESSORS has malformed names: ${bad.join(", ")}`);
  const repeated = expected.filter((name, i) => expected.indexOf(name) !== i);
  if (repeated.length > 0) problems.push(`EXPECTED_PROCESSORS repeats ${repeated.join(", ")}`);
  const known = new Set(expected);
  for (const [mode, modeRule] of Object.entries(rule.modes)) {
    const strangers = modeRule.critical.filter((name) => !known.has(name));
    if (strangers.length > 0) {
      problems.push(
        `TRIGGER_RULE ${mode} names unexpected critical processors: ${strangers.join(", ")}`,
      );
    }
  }
  const deadEnds = Object.entries(aliases).filter(([, target]) => !known.has(target));
  if (deadEnds.length > 0) {
    problems.push(
      `PROCESSOR_ALIASES point at unexpected processors: ${deadEnds.map(([a, t]) => `${a}→${t}`).join(", ")}`,
    );
  }
  if (problems.length > 0)
    throw new ConfigurationError(`invalid configuration: ${problems.join("; ")}`);
}

/**
 * Resolves the configuration of orchestrator `name` from its defaults and `env`.
 * Throws `ConfigurationError` naming every bad variable; called once at start-up.
 */
export function loadConfig(
  name: TransitionName,
  env: Record<string, string | undefined> = process.env,
): OrchestratorConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigurationError(`invalid configuration: ${problems.join("; ")}`);
  }
  const e = parsed.data;
  const defaults = TRANSITIONS[name];
  const expectedProcessors = e.EXPECTED_PROCESSORS ?? defaults.expectedProcessors;
  const rule: TriggerRule = e.TRIGGER_RULE ?? defaults.rule;
  if (e.PUBLISH_LEASE_MS <= e.PUBLISH_TIMEOUT_MS) {
    // A lease shorter than a publish could expire mid-publish and let a second one start.
    throw new ConfigurationError(
      `PUBLISH_LEASE_MS (${e.PUBLISH_LEASE_MS}) must be longer than PUBLISH_TIMEOUT_MS (${e.PUBLISH_TIMEOUT_MS})`,
    );
  }
  // Default aliases may name processors an operator dropped from the list; only aliases
  // given in the environment must point somewhere.
  checkProcessorNames(expectedProcessors, rule, e.PROCESSOR_ALIASES ?? {});
  const projectId = e.GOOGLE_CLOUD_PROJECT ?? e.GCLOUD_PROJECT;
  if (!projectId) throw new ConfigurationError("GOOGLE_CLOUD_PROJECT is not set");
  return {
    ...defaults,
    expectedProcessors,
    aliases: { ...defaults.aliases, ...e.PROCESSOR_ALIASES },
    rule,
    collection: e.STATE_COLLECTION ?? defaults.collection,
    completionTopic: e.COMPLETION_TOPIC ?? defaults.completionTopic,
    triggerTopic: e.TRIGGER_TOPIC ?? defaults.triggerTopic,
    projectId,
    region: e.FUNCTION_REGION,
    version: e.APP_VERSION ?? e.K_REVISION ?? "dev",
    backup: {
      kind: e.BACKUP_KIND,
      dataset: e.BIGQUERY_DATASET,
      completionsTable: e.BIGQUERY_COMPLETIONS_TABLE,
      statusTable: e.BIGQUERY_STATUS_TABLE,
      location: e.BIGQUERY_LOCATION,
      duckdbPath: e.DUCKDB_PATH,
      ...(e.BIGQUERY_API_ENDPOINT !== undefined && { apiEndpoint: e.BIGQUERY_API_ENDPOINT }),
    },
    maxMessageAgeHours: e.MAX_MESSAGE_AGE_HOURS,
    publishLeaseMs: e.PUBLISH_LEASE_MS,
    publishTimeoutMs: e.PUBLISH_TIMEOUT_MS,
    maxBodyBytes: e.MAX_BODY_BYTES,
    maxGameDateDaysAhead: e.MAX_GAME_DATE_DAYS_AHEAD,
    ...(e.ADMIN_TOKEN !== undefined && { adminToken: e.ADMIN_TOKEN }),
    ...(e.ADMIN_AUDIENCE !== undefined && { adminAudience: e.ADMIN_AUDIENCE }),
    adminAllowedEmails: e.ADMIN_ALLOWED_EMAILS,
    ...(e.COORDINATOR_URL !== undefined && { coordinatorUrl: e.COORDINATOR_URL }),
    coordinatorCall: {
      maxRetries: e.COORDINATOR_MAX_RETRIES,
      initialBackoffMs: e.COORDINATOR_BACKOFF_MS,
      maxBackoffMs: e.COORDINATOR_BACKOFF_MS * 8,
      timeoutMs: e.COORDINATOR_TIMEOUT_MS,
    },
    readinessGates: e.READINESS_GATES,
    sweepLookbackDays: e.SWEEP_LOOKBACK_DAYS,
    sweepLookaheadDays: e.SWEEP_LOOKAHEAD_DAYS,
  };
}
