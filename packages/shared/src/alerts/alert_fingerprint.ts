import { createHash } from "node:crypto";
import type { AlertInput } from "./alert";

/**
 * What makes two alerts "the same problem": one function, one phase transition, one kind of
 * error, one game date. Redeliveries of one failing message share a fingerprint; a new date
 * or a different error does not.
 */
export interface AlertFingerprint {
  functionName: string;
  transition: string;
  /** The alert kind and, when known, the error type: `handler_error:DualWriteFailureError`. */
  errorKind: string;
  /** `-` when the alert is not about one date (e.g. a breaker opening). */
  gameDate: string;
}

/** The fingerprint of an alert. */
export function fingerprintOf(alert: AlertInput): AlertFingerprint {
  return {
    functionName: alert.functionName,
    transition: alert.transition,
    errorKind: alert.errorType ? `${alert.kind}:${alert.errorType}` : alert.kind,
    gameDate: alert.gameDate ?? "-",
  };
}

/**
 * A stable key for a fingerprint, safe as a Firestore document id whatever the names contain
 * (slashes, dots, Unicode): the SHA-256 of its fields, in hex.
 */
export function fingerprintKey(fingerprint: AlertFingerprint): string {
  const canonical = JSON.stringify([
    fingerprint.functionName,
    fingerprint.transition,
    fingerprint.errorKind,
    fingerprint.gameDate,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}
