import type { OrchestratorConfig } from "../config/load_config";
import { describeError } from "../errors";
import type { Logger } from "../logging/logger";
import type { CompletionResult } from "../tracker/completion_tracker";

/** One structured line per outcome of a delivery, with a stable event name. */
export function logCompletionResult(
  log: Logger,
  config: OrchestratorConfig,
  result: CompletionResult,
): void {
  const processor = result.name.processor;
  const fields = {
    processor,
    matchedBy: result.name.matchedBy,
    action: result.action,
    duplicate: result.duplicate,
  };
  if (!result.name.known) {
    log.warn(
      "unknown_processor",
      `completion from unknown processor ${processor} stored, not counted`,
      fields,
    );
  } else if (result.duplicate) {
    log.info("completion_duplicate", `redelivery of ${processor} ignored`, fields);
  } else {
    log.info("completion_recorded", `${processor} recorded`, fields);
  }
  if (result.status === "failed" && !result.duplicate) {
    log.warn("processor_failed", `${processor} reported failed; it does not count`, fields);
  }
  if (result.late) {
    log.warn(
      "late_completion",
      `${processor} completed after ${config.targetPhase} was triggered; not triggering again`,
      fields,
    );
  }
  const trigger = result.trigger;
  if ((result.action === "triggered" || result.action === "published_pending") && trigger) {
    log.info("phase_triggered", `${config.targetPhase} triggered (${trigger.reason})`, {
      ...fields,
      triggerReason: trigger.reason,
      mode: trigger.mode,
      idempotencyKey: trigger.idempotencyKey,
      missing: trigger.payload.missing_processors,
      republished: result.action === "published_pending",
    });
  }
  if (result.markError !== undefined) {
    log.warn(
      "trigger_mark_failed",
      `trigger published but not marked: ${describeError(result.markError)}`,
      fields,
    );
  }
  if (result.statusError !== undefined) {
    log.warn(
      "backup_status_failed",
      `backup status row not updated: ${describeError(result.statusError)}`,
      fields,
    );
  }
}
