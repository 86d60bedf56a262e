import type { CompletionStatus, ProcessorState } from "./phase_state";

/** Recent message ids shown per processor. */
const MESSAGE_IDS_KEPT = 50;
/** Entity ids kept per processor; matches the limit on one message. */
const ENTITIES_KEPT = 1000;

/** One delivery of a completion, after validation and name normalisation. */
export interface CompletionInput {
  gameDate: string;
  processor: string;
  known: boolean;
  reportedName: string;
  status: CompletionStatus;
  messageId: string;
  receivedAt: Date;
  recordCount: number;
  correlationId?: string;
  executionId?: string;
  isIncremental?: boolean;
  entitiesChanged?: string[];
}

/** Applies one new delivery to a processor's state. Counting is monotonic: once done, done. */
export function mergeDelivery(
  existing: ProcessorState | undefined,
  input: CompletionInput,
): ProcessorState {
  const at = input.receivedAt.toISOString();
  const countsNow = input.status === "success" || input.status === "partial";
  const alreadyCounted = existing?.counted === true;
  const entities = new Set([
    ...(existing?.entitiesChanged ?? []),
    ...(input.entitiesChanged ?? []),
  ]);
  const state: ProcessorState = {
    processor: input.processor,
    known: input.known,
    reportedNames: [...new Set([...(existing?.reportedNames ?? []), input.reportedName])],
    lastStatus: input.status,
    counted: alreadyCounted || countsNow,
    firstSeenAt: existing?.firstSeenAt ?? at,
    lastSeenAt: at,
    deliveries: (existing?.deliveries ?? 0) + 1,
    messageIds: [...(existing?.messageIds ?? []), input.messageId].slice(-MESSAGE_IDS_KEPT),
    recordCount: countsNow ? input.recordCount : (existing?.recordCount ?? input.recordCount),
  };
  // A later success upgrades an earlier partial: the status shown is the best that counted.
  const countedStatus = alreadyCounted
    ? input.status === "success"
      ? "success"
      : existing?.countedStatus
    : countsNow
      ? input.status
      : undefined;
  const completedAt = alreadyCounted ? existing?.completedAt : countsNow ? at : undefined;
  const correlationId = existing?.correlationId ?? input.correlationId;
  const executionId = countsNow ? input.executionId : existing?.executionId;
  if (countedStatus !== undefined) state.countedStatus = countedStatus;
  if (completedAt !== undefined) state.completedAt = completedAt;
  if (correlationId !== undefined) state.correlationId = correlationId;
  if (executionId !== undefined) state.executionId = executionId;
  if (existing?.isIncremental !== undefined || input.isIncremental !== undefined) {
    // A date is incremental only if every report said so: one full rebuild makes it full.
    state.isIncremental = (existing?.isIncremental ?? true) && (input.isIncremental ?? true);
  }
  if (entities.size > 0) state.entitiesChanged = [...entities].slice(0, ENTITIES_KEPT);
  return state;
}

/** Folds deliveries, oldest first, into one state per processor. */
export function foldDeliveries(deliveries: CompletionInput[]): ProcessorState[] {
  const ordered = [...deliveries].sort(
    (a, b) =>
      a.receivedAt.getTime() - b.receivedAt.getTime() || a.messageId.localeCompare(b.messageId),
  );
  const states = new Map<string, ProcessorState>();
  for (const delivery of ordered) {
    const key = `${delivery.known ? "k" : "u"}:${delivery.processor}`;
    states.set(key, mergeDelivery(states.get(key), delivery));
  }
  return [...states.values()];
}
