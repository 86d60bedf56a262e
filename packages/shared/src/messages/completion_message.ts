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

/**
 * An optional field that may also arrive as JSON null (Python's `None`): null means absent.
 * Losing a whole completion because an informational field is null would stall a phase.
 */
const nullable = <T extends z.ZodType>(schema: T) =>
  z
    .union([schema, z.null()])
    .optional()
    .transform((value) => (value === null ? undefined : value));

const optionalText = nullable(z.string().max(FREE_TEXT_MAX_LENGTH));

/** Phase 3 hints about what changed; passed on to phase 4 merged over the date. */
export const completionMetadataSchema = z.looseObject({
  is_incremental: z
    .union([z.boolean(), z.null()])
    .optional()
    .transform((value) => value ?? undefined),
  entities_changed: z
    .union([
      z.array(z.string().min(1).max(ENTITY_ID_MAX_LENGTH)).max(ENTITIES_CHANGED_MAX),
      z.null(),
    ])
    .optional()
    .transform((value) => value ?? undefined),
});

/** The message a processor publishes when it finishes a game date. */
export const completionMessageSchema = z.object({
  processor_name: z
    .string()
    .min(1)
    .max(PROCESSOR_NAME_MAX_LENGTH)
    .regex(PROCESSOR_NAME_PATTERN, "processor_name may hold only letters, digits, _ . -"),
  game_date: gameDateSchema,
  status: nullable(z.enum(["success", "partial", "failed", "skipped"])).transform(
    (value) => value ?? "success",
  ),
  correlation_id: optionalText,
  execution_id: optionalText,
  output_table: nullable(
    z
      .string()
      .max(FREE_TEXT_MAX_LENGTH)
      .regex(/^[A-Za-z0-9_.:-]*$/, "output_table may hold only letters, digits, _ . : -"),
  ),
  output_dataset: optionalText,
  phase: optionalText,
  // Python's isoformat() leaves the zone out; such a time is informational, so it is kept.
  timestamp: nullable(z.iso.datetime({ offset: true, local: true })),
  record_count: nullable(z.number().int().min(0)).transform((value) => value ?? 0),
  metadata: nullable(completionMetadataSchema).transform(
    (value) => value ?? { is_incremental: undefined, entities_changed: undefined },
  ),
});

/** A completion message after validation, with defaults applied. */
export type CompletionMessage = z.infer<typeof completionMessageSchema>;

/** Status values that count toward a phase being done. */
export function countsTowardCompletion(status: CompletionMessage["status"]): boolean {
  return status === "success" || status === "partial";
}
