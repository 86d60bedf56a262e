import { createHash } from "node:crypto";

/** What identifies one delivery of one completion. */
export interface CompletionRowIdInput {
  transition: string;
  gameDate: string;
  /** Processor name exactly as reported, before normalisation. */
  reportedName: string;
  /** Pub/Sub message id: a redelivery keeps it, a new report gets a new one. */
  messageId: string;
}

/**
 * Deterministic row id of a completion: hex sha256 over the four parts.
 * The parts are JSON-encoded as an array so that no separator inside a name can make two
 * different inputs hash the same text.
 */
export function completionRowId(input: CompletionRowIdInput): string {
  const text = JSON.stringify([
    input.transition,
    input.gameDate,
    input.reportedName,
    input.messageId,
  ]);
  return createHash("sha256").update(text, "utf8").digest("hex");
}
