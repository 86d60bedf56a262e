/**
 * Classifies errors from `@google-cloud/firestore` by their gRPC status code.
 *
 * Transient (a later identical call may succeed): CANCELLED 1, UNKNOWN 2,
 * DEADLINE_EXCEEDED 4, RESOURCE_EXHAUSTED 8, ABORTED 10, INTERNAL 13, UNAVAILABLE 14.
 * Everything else with a code is permanent: INVALID_ARGUMENT 3, NOT_FOUND 5, ALREADY_EXISTS 6
 * (the store turns that one into "duplicate" before it gets here), PERMISSION_DENIED 7,
 * FAILED_PRECONDITION 9 (e.g. a missing index), OUT_OF_RANGE 11, UNIMPLEMENTED 12,
 * DATA_LOSS 15, UNAUTHENTICATED 16. A thrown value without a numeric code (a terminated
 * client, a socket error outside gRPC) counts as UNKNOWN, i.e. transient.
 *
 * Which of the transient codes this product retries itself, per call, is in
 * firestore_call_policy.ts: the client already retries several of them.
 */
import {
  isOrchestratorError,
  type OrchestratorError,
  PermanentDependencyError,
  TransientDependencyError,
} from "../errors";

/** gRPC status codes by name, as the Firestore client reports them in `error.code`. */
export const GRPC = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

const NAMES = new Map<number, string>(Object.entries(GRPC).map(([name, code]) => [code, name]));

/** Codes after which the same call may succeed later. */
export const TRANSIENT_GRPC_CODES: ReadonlySet<number> = new Set([
  GRPC.CANCELLED,
  GRPC.UNKNOWN,
  GRPC.DEADLINE_EXCEEDED,
  GRPC.RESOURCE_EXHAUSTED,
  GRPC.ABORTED,
  GRPC.INTERNAL,
  GRPC.UNAVAILABLE,
]);

const DEPENDENCY = "firestore";

/** A transient Firestore failure that keeps the gRPC status code. */
export class FirestoreTransientError extends TransientDependencyError {
  constructor(
    /** gRPC status code, e.g. 14 for UNAVAILABLE. */
    readonly grpcCode: number,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(DEPENDENCY, message, { ...options, code: codeName(grpcCode) });
  }
}

/** A permanent Firestore failure that keeps the gRPC status code. */
export class FirestorePermanentError extends PermanentDependencyError {
  constructor(
    /** gRPC status code, e.g. 7 for PERMISSION_DENIED. */
    readonly grpcCode: number,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(DEPENDENCY, message, { ...options, code: codeName(grpcCode) });
  }
}

/**
 * Turns anything a Firestore call threw into a typed error that keeps the gRPC code.
 * Errors of this package (a deadline, an open breaker) pass through unchanged.
 */
export function classifyFirestoreError(error: unknown): OrchestratorError {
  if (isOrchestratorError(error)) return error;
  const raw = (error as { code?: unknown } | null)?.code;
  const grpcCode = typeof raw === "number" && NAMES.has(raw) ? raw : GRPC.UNKNOWN;
  const text = error instanceof Error ? error.message : String(error);
  const message = `Firestore call failed (${NAMES.get(grpcCode)}): ${text}`;
  return TRANSIENT_GRPC_CODES.has(grpcCode)
    ? new FirestoreTransientError(grpcCode, message, { cause: error })
    : new FirestorePermanentError(grpcCode, message, { cause: error });
}

/** The gRPC code on a classified error, if it has one. */
export function grpcCodeOf(error: unknown): number | undefined {
  const code = (error as { grpcCode?: unknown } | null)?.grpcCode;
  return typeof code === "number" ? code : undefined;
}

// Stable error codes for logs and alert fingerprints, e.g. `firestore_unavailable`.
function codeName(grpcCode: number): string {
  return `firestore_${(NAMES.get(grpcCode) ?? "UNKNOWN").toLowerCase()}`;
}
