import type { BackupStore } from "../backup/backup_store";
import { BIGQUERY_ERROR_CODES } from "../backup/bigquery_errors";
import { isRetryable } from "../errors";
import type { ResilienceListener } from "./resilience_events";
import type { RetryRunner } from "./retry_policy";

// A call that used its whole deadline (20 s for BigQuery) is not tried again: a second one
// would overrun the function's 60 s timeout. Pub/Sub redelivery is the retry for it.
const NOT_RETRIED_CODES = new Set<string>([BIGQUERY_ERROR_CODES.timeout]);

/**
 * The backup store with retries. The BigQuery client is built with `autoRetry` off (see
 * bigquery_errors.ts), so this is the only retry: 5xx, 429, rate-limit reasons, lost
 * connections and DML conflicts from concurrent MERGE are retried within the budget;
 * 400, 403, 404 and quota errors are not. Writes are MERGEs on a deterministic key, so a
 * retry of a write that did land changes nothing.
 */
export class ResilientBackupStore implements BackupStore {
  readonly kind: string;

  constructor(
    private readonly inner: BackupStore,
    private readonly retry: RetryRunner,
    private readonly onEvent?: ResilienceListener,
  ) {
    this.kind = inner.kind;
  }

  recordCompletion: BackupStore["recordCompletion"] = (row) =>
    this.call("recordCompletion", row.gameDate, () => this.inner.recordCompletion(row));

  upsertStatus: BackupStore["upsertStatus"] = (row) =>
    this.call("upsertStatus", row.gameDate, () => this.inner.upsertStatus(row));

  listCompletions: BackupStore["listCompletions"] = (phase, gameDate) =>
    this.call("listCompletions", gameDate, () => this.inner.listCompletions(phase, gameDate));

  readStatus: BackupStore["readStatus"] = (phase, gameDate) =>
    this.call("readStatus", gameDate, () => this.inner.readStatus(phase, gameDate));

  listCompletionsReceivedBetween: BackupStore["listCompletionsReceivedBetween"] = (
    phase,
    fromIso,
    toIso,
  ) =>
    this.call("listCompletionsReceivedBetween", undefined, () =>
      this.inner.listCompletionsReceivedBetween(phase, fromIso, toIso),
    );

  /** Not retried: a readiness probe reports what it saw. */
  ping: BackupStore["ping"] = () => this.inner.ping();

  close: BackupStore["close"] = () => this.inner.close();

  private call<T>(method: string, gameDate: string | undefined, work: () => Promise<T>) {
    return this.retry.run(work, shouldRetryBackup, (event) =>
      this.onEvent?.({
        kind: "retry",
        store: this.kind,
        method,
        ...event,
        ...(gameDate !== undefined && { gameDate }),
      }),
    );
  }
}

/** Whether a backup error is worth another attempt within this call. */
export function shouldRetryBackup(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return isRetryable(error) && !(typeof code === "string" && NOT_RETRIED_CODES.has(code));
}
