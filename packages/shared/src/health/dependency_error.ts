import { isOrchestratorError, TransientDependencyError } from "../errors";

/** gRPC status names by code, for Firestore and Pub/Sub errors. */
const GRPC_NAMES: Record<number, string> = {
  1: "cancelled",
  2: "unknown",
  4: "deadline_exceeded",
  5: "not_found",
  7: "permission_denied",
  8: "resource_exhausted",
  13: "internal",
  14: "unavailable",
  16: "unauthenticated",
};

/**
 * A short, fixed description of why a dependency check failed, safe to show to anyone:
 * an error code and never the error's message, which may hold hosts, ports, project paths
 * or tokens (gRPC messages name the address they failed to reach).
 */
export function safeDependencyError(error: unknown): string {
  if (error instanceof ReadinessTimeoutError) return `timeout after ${error.timeoutMs} ms`;
  if (isOrchestratorError(error)) return error.code;
  const e = error as { code?: unknown; status?: unknown; response?: { status?: unknown } };
  if (typeof e?.code === "number" && GRPC_NAMES[e.code] !== undefined) {
    return `grpc ${GRPC_NAMES[e.code]}`;
  }
  const status = typeof e?.status === "number" ? e.status : e?.response?.status;
  if (typeof status === "number") return `http ${status}`;
  if (typeof e?.code === "number") return `http ${e.code}`;
  if (typeof e?.code === "string" && /^[A-Z_]+$/.test(e.code)) return e.code.toLowerCase();
  return "error";
}

/** A dependency check that did not answer in time; retrying later may pass. */
export class ReadinessTimeoutError extends TransientDependencyError {
  constructor(
    dependency: string,
    readonly timeoutMs: number,
  ) {
    super(dependency, `${dependency} gave no answer within ${timeoutMs} ms`, {
      code: "readiness_timeout",
    });
  }
}
