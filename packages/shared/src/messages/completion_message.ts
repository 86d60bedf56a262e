import { z } from "zod";
import { gameDateSchema } from "./game_date";

/**
 * Limits on what a processor may send. They keep Firestore documents and log lines small
 * and make every stored name safe as text: a name outside them is refused, never trimmed.
 */
export const PROCESSOR_NAME_MAX_LENGTH = 128;
export const PROCESSOR_NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;
export const ENTITIES_CHANGED_MAX = 1000;
export const ENTITY_ID_MAX_LENGTH = 128;
const FREE_TEXT_MAX_LENGTH = 256;

const optionalText = z.string().max(FREE_TEXT_MAX_LENGTH).optional();

/** Phase 3 hints about what changed; passed on to phase 4 merged over the date. */
export const completionMetadataSchema = z.looseObject({
  is_incremental: z.boolean().optional(),
  entities_changed: z
    .array(z.string().min(1).max(ENTITY_ID_MAX_LENGTH))
    .max(ENTITIES_CHANGED_MAX)
    .optional(),
});

/** The message a processor publishes when it finishes a game date. */
export const completionMessageSchema = z.object({
  processor_name: z
    .string()
    .min(1)
    .max(PROCESSOR_NAME_MAX_LENGTH)
    .regex(PROCESSOR_NAME_PATTERN, "processor_name may hold only letters, digits, _ . -"),
  game_date: gameDateSchema,
  status: z.enum(["success", "partial", "failed", "skipped"]).default("success"),
  correlation_id: optionalText,
  execution_id: optionalText,
  output_table: z
    .string()
    .max(FREE_TEXT_MAX_LENGTH)
    .regex(/^[A-Za-z0-9_.:-]*$/, "output_table may hold only letters, digits, _ . : -")
    .optional(),
  output_dataset: optionalText,
  phase: optionalText,
  timestamp: z.iso.datetime({ offset: true }).optional(),
  record_count: z.number().int().min(0).default(0),
  metadata: completionMetadataSchema.default({}),
});

/** A completion message after validation, with defaults applied. */
export type CompletionMessage = z.infer<typeof completionMessageSchema>;

/** Status values that count toward a phase being done. */
export function countsTowardCompletion(status: CompletionMessage["status"]): boolean {
  return status === "success" || status === "partial";
}
