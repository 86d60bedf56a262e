import { z } from "zod";

/** A time tier: this long after the first completion, trigger with at least this many done. */
export const tierSchema = z.object({
  name: z.string().min(1),
  afterMinutes: z.number().min(0),
  minCompleted: z.number().int().min(0),
});

/** When a phase counts as done in one run mode. */
export const modeRuleSchema = z.object({
  /** Processors that must all be done before anything short of "all" triggers. */
  critical: z.array(z.string()).default([]),
  /** Trigger as soon as every critical processor is done (same-day runs). */
  criticalSuffices: z.boolean().default(false),
  /** With every critical processor done, trigger once this share of expected ones is done. */
  majorityRatio: z.number().gt(0).max(1).optional(),
  /** Time-based tiers, measured from the first completion of the date. */
  tiers: z.array(tierSchema).default([]),
});

/** The whole rule of one transition; set by `TRIGGER_RULE` (JSON) or the defaults. */
export const triggerRuleSchema = z.object({
  /** Zone whose calendar decides the run mode; the pipeline runs on New York time. */
  timeZone: z.string().default("America/New_York"),
  modes: z.object({
    overnight: modeRuleSchema,
    same_day: modeRuleSchema,
    tomorrow: modeRuleSchema,
  }),
  /** Minutes after the first completion when a date that has not triggered is alerted. */
  deadlineMinutes: z.number().positive().optional(),
});

export type Tier = z.infer<typeof tierSchema>;
export type ModeRule = z.infer<typeof modeRuleSchema>;
export type TriggerRule = z.infer<typeof triggerRuleSchema>;

/** The same rule in every run mode. */
export function sameRuleForAllModes(rule: Partial<ModeRule>, extra: Partial<TriggerRule> = {}) {
  const mode = modeRuleSchema.parse(rule);
  return triggerRuleSchema.parse({
    ...extra,
    modes: { overnight: mode, same_day: mode, tomorrow: mode },
  });
}
