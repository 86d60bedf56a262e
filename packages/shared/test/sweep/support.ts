import type { AlertInput, Alerter } from "../../src/alerts/alert";
import type { HttpRequest } from "../../src/http/http_types";

/** The admin token the sweep tests configure. */
export const ADMIN_TOKEN = "sweep-test-admin-token-0123456789";

/** An alerter that keeps what it was asked to send. */
export function recordingAlerter(): Alerter & { alerts: AlertInput[] } {
  const alerts: AlertInput[] = [];
  return { alerts, notify: async (alert) => void alerts.push(alert) };
}

/** `POST /sweep` as Cloud Scheduler (or an operator) sends it. */
export function sweepRequest(token: string | null = ADMIN_TOKEN): HttpRequest {
  return {
    method: "POST",
    path: "/sweep",
    query: {},
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
    body: {},
  };
}

/** A completion message for `processor` on `gameDate`. */
export function completion(
  processor: string,
  gameDate: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { processor_name: processor, game_date: gameDate, status: "success", ...extra };
}
