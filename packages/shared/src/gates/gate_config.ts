import { z } from "zod";

/** One readiness gate: the table must hold at least `minRows` rows for the game date. */
export const gateSpecSchema = z.object({
  /** `dataset.table` or `project.dataset.table`; plain identifiers only (it goes into SQL). */
  table: z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_]+){1,2}$/, {
    message: "table must be dataset.table or project.dataset.table",
  }),
  /** A DATE column holding the game date. */
  dateColumn: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .default("game_date"),
  minRows: z.number().int().min(1).default(1),
  /** `blocking`: no trigger until met. `advisory`: trigger anyway and warn. */
  mode: z.enum(["blocking", "advisory"]).default("blocking"),
});

/** The gates of one transition, from `READINESS_GATES` (JSON list); none by default. */
export const gateListSchema = z.array(gateSpecSchema);

/** One configured gate. */
export type GateSpec = z.infer<typeof gateSpecSchema>;
