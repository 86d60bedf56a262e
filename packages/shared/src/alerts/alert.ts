/** How loud an alert is; each has its own colour in Slack. */
export type AlertSeverity = "error" | "warning" | "timeout" | "info";

/** Kinds of alert this product sends; each is documented in the README with what to do. */
export type AlertKind =
  | "handler_error"
  | "dual_write_failure"
  | "single_write_failure"
  | "poison_message"
  | "stale_message"
  | "breaker_opened"
  | "breaker_closed"
  | "phase_timeout"
  | "deadline_missed"
  | "gate_blocked"
  | "coordinator_failed"
  | "late_completion"
  | "test_alert";

/** Everything an alert says; the alerter formats it and decides whether to send it now. */
export interface AlertInput {
  kind: AlertKind;
  severity: AlertSeverity;
  /** One-line summary, e.g. "Phase 3 → Phase 4 not triggered: both stores failed". */
  title: string;
  /** Free text; cut to 500 characters when sent. */
  message: string;
  /** Orchestrator name, e.g. `phase3-to-phase4`. */
  functionName: string;
  /** Human label of the transition, e.g. "Phase 3 → Phase 4". */
  transition: string;
  gameDate?: string;
  correlationId?: string;
  messageId?: string;
  /** Error class or code, used in the fingerprint. */
  errorType?: string;
  /** Stack trace; cut to 2,000 characters when sent. */
  stack?: string;
  /** Extra key/value lines shown in the alert. */
  details?: Record<string, string | number | boolean>;
}

/**
 * Sends alerts to people. Implementations never throw and never take longer than their
 * configured budget: an alert must not change whether a Pub/Sub message is acknowledged.
 */
export interface Alerter {
  notify(alert: AlertInput): Promise<void>;
}

/** An alerter that sends nothing, for when alerts are switched off. */
export const silentAlerter: Alerter = { notify: async () => {} };
