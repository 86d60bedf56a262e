import type { Alerter } from "../alerts/alert";
import type { OrchestratorConfig } from "../config/load_config";
import { describeError } from "../errors";
import { alertFor } from "../http/handle_delivery";
import type { Logger } from "../logging/logger";
import type { ResilienceEvent } from "./resilience_events";

/** Event names this module logs, for Cloud Logging queries (README, "Resilience"). */
export const RESILIENCE_LOG_EVENTS = {
  retry: "store_retry",
  opened: "breaker_opened",
  halfOpen: "breaker_half_open",
  probeFailed: "breaker_probe_failed",
  closed: "breaker_closed",
} as const;

/** What the entry point reports resilience events with. */
export interface ResilienceReportDeps {
  config: OrchestratorConfig;
  logger: Logger;
  alerter: Alerter;
}

/**
 * Logs one resilience event, and alerts when the breaker opens or closes: once each per
 * outage, since a failed half-open probe is logged as `breaker_probe_failed`, not as a new
 * opening. Called by the composition root, which is an entry point.
 */
export function reportResilienceEvent(deps: ResilienceReportDeps, event: ResilienceEvent): void {
  const { logger, config } = deps;
  switch (event.kind) {
    case "retry":
      logger.warn(
        RESILIENCE_LOG_EVENTS.retry,
        `${event.store} ${event.method} failed (attempt ${event.attempt}); retrying in ${event.delayMs} ms`,
        {
          store: event.store,
          method: event.method,
          attempt: event.attempt,
          delayMs: event.delayMs,
          errorCode: (event.error as { code?: unknown } | null)?.code,
          error: event.error,
          ...(event.gameDate !== undefined && { gameDate: event.gameDate }),
        },
      );
      return;
    case "breaker_opened":
      logger.error(
        RESILIENCE_LOG_EVENTS.opened,
        `Firestore circuit breaker opened: no Firestore calls for now, status served from the backup (${describeError(event.error)})`,
        { store: "firestore", error: event.error },
      );
      void deps.alerter.notify(
        alertFor(config, {
          kind: "breaker_opened",
          severity: "error",
          title: `Firestore unreachable, circuit breaker open`,
          message: `Completions go to the backup and are handed back for redelivery; nothing triggers until Firestore answers. Last error: ${describeError(event.error)}`,
          errorType: "breaker_opened",
        }),
      );
      return;
    case "breaker_half_open":
      logger.info(
        RESILIENCE_LOG_EVENTS.halfOpen,
        "Firestore circuit breaker lets one probe call through",
        {
          store: "firestore",
        },
      );
      return;
    case "breaker_probe_failed":
      logger.warn(RESILIENCE_LOG_EVENTS.probeFailed, "Firestore probe failed; breaker stays open", {
        store: "firestore",
        error: event.error,
      });
      return;
    case "breaker_closed":
      logger.info(
        RESILIENCE_LOG_EVENTS.closed,
        `Firestore circuit breaker closed after ${event.openForMs} ms`,
        {
          store: "firestore",
          openForMs: event.openForMs,
        },
      );
      void deps.alerter.notify(
        alertFor(config, {
          kind: "breaker_closed",
          severity: "info",
          title: `Firestore reachable again, circuit breaker closed`,
          message: `Open for ${Math.round(event.openForMs / 1000)} s. Redelivered messages complete on their own; run bin/reconcile for anything older than the retention.`,
          errorType: "breaker_closed",
        }),
      );
      return;
  }
}
