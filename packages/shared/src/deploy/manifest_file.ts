import { z } from "zod";

/** Environment variable names as Cloud Functions accepts them. */
const envName = z.string().regex(/^[A-Z][A-Z0-9_]*$/);

/** A resource id suffix: lowercase letters, digits and hyphens. */
const idSuffix = z.string().regex(/^-[a-z0-9-]+$/);

/** Settings that a target phase adds on top of the common ones (e.g. phase 5's coordinator). */
const phaseOverrideSchema = z.object({
  environment: z.record(envName, z.string()).default({}),
  secrets: z.record(envName, z.string()).default({}),
  memoryMb: z.number().int().positive().optional(),
  maxInstances: z.number().int().positive().optional(),
});

/**
 * Shape of `deploy/functions.json`: how the orchestrators are deployed. Their identity
 * (names, entry points, topics) is not here but in the transition defaults.
 */
export const manifestFileSchema = z.object({
  $comment: z.string().optional(),
  region: z.string().regex(/^[a-z]+-[a-z]+\d$/),
  runtime: z.string().regex(/^nodejs\d+$/),
  memoryMb: z.number().int().min(128).max(32_768),
  timeoutSeconds: z.number().int().min(1).max(3_600),
  minInstances: z.number().int().min(0),
  maxInstances: z.number().int().min(1),
  ingress: z.enum(["all", "internal-only", "internal-and-gclb"]),
  trigger: z.object({
    kind: z.literal("http-push"),
    ackDeadlineSeconds: z.number().int().min(10).max(600),
    minRetryDelaySeconds: z.number().int().min(0).max(600),
    maxRetryDelaySeconds: z.number().int().min(0).max(600),
    maxDeliveryAttempts: z.number().int().min(5).max(100),
    deadLetterTopicSuffix: idSuffix,
    subscriptionSuffix: idSuffix,
    pushInvokerServiceAccount: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/),
  }),
  secrets: z.record(envName, z.string().regex(/^[A-Za-z0-9_-]+:(latest|\d+)$/)),
  environment: z.record(envName, z.string()),
  byTargetPhase: z.record(z.string(), phaseOverrideSchema).default({}),
  sharedInputs: z.array(z.string().min(1)).min(1),
});

/** Parsed `deploy/functions.json`. */
export type ManifestFile = z.infer<typeof manifestFileSchema>;
