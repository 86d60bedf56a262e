/**
 * Every error that crosses a module boundary says whether trying again can help.
 * The HTTP layer turns `retryable` into the Pub/Sub answer: 5xx hands the message
 * back for redelivery, 2xx acknowledges it.
 */
export abstract class OrchestratorError extends Error {
  /** Stable machine-readable kind, used in logs, alerts and alert fingerprints. */
  abstract readonly code: string;
  /** True when the same call may succeed later without any change to its input. */
  abstract readonly retryable: boolean;
  /** Brand that survives two copies of this package in one bundle. */
  readonly isOrchestratorError = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** True for any error raised by this package, even from another copy of it. */
export function isOrchestratorError(error: unknown): error is OrchestratorError {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { isOrchestratorError?: unknown }).isOrchestratorError === true
  );
}

/** Input that can never become valid: acknowledge, log and alert once, never retry. */
export class InvalidMessageError extends OrchestratorError {
  readonly code = "invalid_message";
  readonly retryable = false;

  constructor(
    message: string,
    /** A short, safe excerpt of the offending input for logs. */
    readonly excerpt: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A message older than the configured maximum age: dropped with an error log. */
export class StaleMessageError extends OrchestratorError {
  readonly code = "stale_message";
  readonly retryable = false;
}

/** A dependency (Firestore, BigQuery, Pub/Sub, HTTP) failed in a way that may pass. */
export class TransientDependencyError extends OrchestratorError {
  readonly code: string;
  readonly retryable = true;

  constructor(
    readonly dependency: string,
    message: string,
    options?: { cause?: unknown; code?: string },
  ) {
    super(message, options);
    this.code = options?.code ?? `${dependency}_unavailable`;
  }
}

/** A dependency refused the call in a way that retrying cannot fix (bad request, denied). */
export class PermanentDependencyError extends OrchestratorError {
  readonly code: string;
  readonly retryable = false;

  constructor(
    readonly dependency: string,
    message: string,
    options?: { cause?: unknown; code?: string },
  ) {
    super(message, options);
    this.code = options?.code ?? `${dependency}_rejected`;
  }
}

/** Both the primary and the backup store failed to record a completion. */
export class DualWriteFailureError extends OrchestratorError {
  readonly code = "dual_write_failure";
  readonly retryable = true;

  constructor(
    readonly primaryError: unknown,
    readonly backupError: unknown,
  ) {
    super(
      `completion not recorded: primary store failed (${describeError(primaryError)}) ` +
        `and backup store failed (${describeError(backupError)})`,
    );
  }
}

/** Someone else changed the same record first (two forced retriggers at once). */
export class ConflictError extends OrchestratorError {
  readonly code = "conflict";
  readonly retryable = false;
}

/** Configuration that cannot work: raised at start-up, never per message. */
export class ConfigurationError extends OrchestratorError {
  readonly code = "configuration_error";
  readonly retryable = false;
}

/** One line describing any thrown value, for logs and composite errors. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Whether an unknown thrown value may succeed on a retry; unknown errors count as transient. */
export function isRetryable(error: unknown): boolean {
  if (isOrchestratorError(error)) return error.retryable;
  return true;
}
