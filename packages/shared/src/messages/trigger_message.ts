import { z } from "zod";
import { gameDateSchema } from "./game_date";

/** Message attribute that carries the idempotency key, for consumers that filter on it. */
export const IDEMPOTENCY_KEY_ATTRIBUTE = "idempotency_key";

/** What the next phase receives when this one is done for a date. */
export const triggerMessageSchema = z.object({
  game_date: gameDateSchema,
  correlation_id: z.string(),
  /** Stable for this transition, date and generation: a consumer drops a repeat. */
  idempotency_key: z.string(),
  trigger_reason: z.string(),
  mode: z.enum(["overnight", "same_day", "tomorrow"]),
  completed_processors: z.array(z.string()),
  missing_processors: z.array(z.string()),
  expected_processors: z.array(z.string()),
  failed_processors: z.array(z.string()),
  unknown_processors: z.array(z.string()),
  /** Orchestrator that decided, e.g. `phase3-to-phase4`. */
  triggered_by: z.string(),
  source_phase: z.string(),
  target_phase: z.string(),
  timestamp: z.string(),
  generation: z.number().int().min(1),
  /** Phase 3 entity hints merged over every processor of the date (phase 4 trigger). */
  is_incremental: z.boolean().optional(),
  entities_changed: z.array(z.string()).optional(),
});

/** A trigger message as published. */
export type TriggerMessage = z.infer<typeof triggerMessageSchema>;

/** The idempotency key of a transition's trigger for one date and generation. */
export function idempotencyKey(transition: string, gameDate: string, generation: number): string {
  return `${transition}:${gameDate}:${generation}`;
}
