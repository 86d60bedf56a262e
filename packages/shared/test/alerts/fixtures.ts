import type { AlertInput } from "../../src/alerts/alert";

/** A typical alert: both stores failed while recording a phase-3 completion. */
export function dualWriteAlert(overrides: Partial<AlertInput> = {}): AlertInput {
  return {
    kind: "dual_write_failure",
    severity: "error",
    title: "completion not recorded: both stores failed",
    message: "primary store failed (UNAVAILABLE) and backup store failed (timeout)",
    functionName: "phase3-to-phase4",
    transition: "Phase 3 → Phase 4",
    gameDate: "2025-01-14",
    correlationId: "corr-123",
    messageId: "9876543210",
    errorType: "DualWriteFailureError",
    stack: "DualWriteFailureError: completion not recorded\n    at record (tracker.ts:42:11)",
    ...overrides,
  };
}
