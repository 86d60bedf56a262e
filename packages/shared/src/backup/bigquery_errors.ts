/**
 * Classifies errors from `@google-cloud/bigquery` into transient and permanent ones.
 *
 * What the client already retries (read in @google-cloud/bigquery 8.3.1,
 * @google-cloud/common 6.1.0 `util.makeRequest`, retry-request 8.0.4):
 * - Every REST call (`jobs.query` behind `query()`, `jobs.insert` behind `createQueryJob()`,
 *   `getQueryResults`, dataset and table calls) goes through retry-request when `autoRetry`
 *   is on, which is the default, with `maxRetries` 3 by default.
 * - It retries only on the HTTP status: 408, 429, 500, 502, 503, 504. The reason list it
 *   also checks (`rateLimitExceeded`, `userRateLimitExceeded`) is never seen there, because
 *   the retry predicate only gets the status line, not the body. It also retries requests
 *   that got no response at all (ECONNRESET, ECONNREFUSED, timeouts) as often again.
 * - Delays are real timers: 2^n s plus up to 1 s of jitter (about 2, 4, 8 s), capped at
 *   64 s each and 600 s in total; they cannot be driven by fake time.
 * - A DML conflict from concurrent MERGE comes back as HTTP 400, reason `invalidQuery`,
 *   message "Could not serialize access to table <t> due to concurrent update" (or
 *   "Transaction is aborted due to concurrent update against table <t>"). The client never
 *   retries it: 400 is not in its list.
 * - `maxRetries: 0` does NOT turn retries off: the client tests it for truthiness and falls
 *   back to 3. Only `autoRetry: false` does.
 * - There is no request deadline: the client's `timeout` option (60 s by default) is handed by
 *   teeny-request 10 to node-fetch 3, which no longer supports it, so a hung connection
 *   waits forever (googleapis/google-cloud-node#7998). The store sets its own deadline.
 * - `jobs.query` carries a `requestId` made once per `query()` call, so the client's own
 *   retries of one call are deduplicated by BigQuery; a retry by our caller is a new call
 *   and a new job, which is why every write is a MERGE on a deterministic key.
 *
 * Therefore `createBigQueryClient` turns the client's retries off by default (see
 * bigquery_client.ts) and the resilience layer owns every retry: one budget, jitter it
 * controls, fake time in tests, and DML conflicts retried like the rest.
 */
import {
  isOrchestratorError,
  type OrchestratorError,
  PermanentDependencyError,
  TransientDependencyError,
} from "../errors";

const DEPENDENCY = "bigquery";

/** Error codes this module gives, for log queries and alert fingerprints. */
export const BIGQUERY_ERROR_CODES = {
  unavailable: "bigquery_unavailable",
  timeout: "bigquery_timeout",
  rateLimited: "bigquery_rate_limited",
  dmlConflict: "bigquery_dml_conflict",
  rejected: "bigquery_rejected",
  notFound: "bigquery_not_found",
  accessDenied: "bigquery_access_denied",
  quotaExceeded: "bigquery_quota_exceeded",
} as const;

const TRANSIENT_HTTP_STATUSES = new Set([408, 500, 502, 503, 504]);
const SERVER_REASONS = new Set([
  "backendError",
  "internalError",
  "jobBackendError",
  "jobInternalError",
]);
const RATE_REASONS = new Set([
  "rateLimitExceeded",
  "userRateLimitExceeded",
  "jobRateLimitExceeded",
]);
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ECONNABORTED",
  "ENETUNREACH",
  "EHOSTUNREACH",
]);
// Both wordings BigQuery uses when concurrent mutating DML on one table collides.
const DML_CONFLICT_PATTERN =
  /could not serialize access to table .* due to concurrent update|transaction is aborted due to concurrent update/i;
// DML quota on one table, reported as 400 invalidQuery; it passes once the rate drops.
const TABLE_RATE_PATTERN = /exceeded rate limits/i;

interface ClientErrorShape {
  code?: unknown;
  errors?: Array<{ reason?: unknown; message?: unknown }>;
  message?: unknown;
  type?: unknown;
  name?: unknown;
}

/**
 * Turns anything the BigQuery client threw into a `TransientDependencyError` (worth
 * retrying) or a `PermanentDependencyError` (fix the request, table or permissions).
 * Errors of this package pass through unchanged; unrecognised errors count as transient.
 */
export function classifyBigQueryError(error: unknown): OrchestratorError {
  if (isOrchestratorError(error)) return error;
  const shape = (typeof error === "object" && error !== null ? error : {}) as ClientErrorShape;
  const status = typeof shape.code === "number" ? shape.code : undefined;
  const reasons = (Array.isArray(shape.errors) ? shape.errors : []).map((e) => String(e.reason));
  const message = describe(shape, error);
  const options = (code: string) => ({ cause: error, code });
  const transient = (code: string) =>
    new TransientDependencyError(DEPENDENCY, message, options(code));
  const permanent = (code: string) =>
    new PermanentDependencyError(DEPENDENCY, message, options(code));

  if (DML_CONFLICT_PATTERN.test(message)) return transient(BIGQUERY_ERROR_CODES.dmlConflict);
  if (
    status === 429 ||
    reasons.some((r) => RATE_REASONS.has(r)) ||
    TABLE_RATE_PATTERN.test(message)
  )
    return transient(BIGQUERY_ERROR_CODES.rateLimited);
  if (reasons.includes("quotaExceeded")) return permanent(BIGQUERY_ERROR_CODES.quotaExceeded);
  if (
    (status !== undefined && TRANSIENT_HTTP_STATUSES.has(status)) ||
    reasons.some((r) => SERVER_REASONS.has(r))
  )
    return transient(BIGQUERY_ERROR_CODES.unavailable);
  if (typeof shape.code === "string" && NETWORK_CODES.has(shape.code))
    return transient(BIGQUERY_ERROR_CODES.unavailable);
  if (isTimeout(shape)) return transient(BIGQUERY_ERROR_CODES.timeout);
  if (status === 404 || reasons.includes("notFound"))
    return permanent(BIGQUERY_ERROR_CODES.notFound);
  if (status === 401 || status === 403 || reasons.includes("accessDenied"))
    return permanent(BIGQUERY_ERROR_CODES.accessDenied);
  if ((status !== undefined && status >= 400 && status < 500) || reasons.length > 0)
    return permanent(BIGQUERY_ERROR_CODES.rejected);
  return transient(BIGQUERY_ERROR_CODES.unavailable);
}

// node-fetch reports an aborted request as an AbortError; kept for callers that abort.
function isTimeout(shape: ClientErrorShape): boolean {
  return shape.type === "request-timeout" || shape.name === "AbortError";
}

function describe(shape: ClientErrorShape, error: unknown): string {
  const text =
    typeof shape.message === "string" && shape.message !== "" ? shape.message : String(error);
  const status =
    typeof shape.code === "number" || typeof shape.code === "string" ? ` (${shape.code})` : "";
  return `BigQuery call failed${status}: ${text}`;
}
