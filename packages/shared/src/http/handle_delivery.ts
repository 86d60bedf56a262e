import type { AlertInput, Alerter } from "../alerts/alert";
import type { OrchestratorConfig } from "../config/load_config";
import {
  DualWriteFailureError,
  describeError,
  InvalidMessageError,
  isRetryable,
  StaleMessageError,
} from "../errors";
import type { Logger } from "../logging/logger";
import { decodeCompletion } from "../messages/decode_completion";
import {
  type EnvelopeRequest,
  parseEnvelope,
  type ReceivedMessage,
} from "../messages/pubsub_envelope";
import type { CompletionResult, CompletionTracker } from "../tracker/completion_tracker";
import type { Reply } from "./http_types";
import { logCompletionResult } from "./log_completion";

/** What the delivery path needs from the composed orchestrator. */
export interface DeliveryDeps {
  config: OrchestratorConfig;
  tracker: CompletionTracker;
  alerter: Alerter;
  logger: Logger;
}

/**
 * Handles one Pub/Sub delivery end to end and chooses the answer: 2xx acknowledges
 * (processed, duplicate, or input that can never be valid), 5xx hands it back for
 * redelivery (only when trying again can help). Never throws.
 */
export async function handleDelivery(deps: DeliveryDeps, request: EnvelopeRequest): Promise<Reply> {
  const { config, logger } = deps;
  let received: ReceivedMessage;
  try {
    received = parseEnvelope(request);
  } catch (error) {
    return rejectInput(deps, error, logger);
  }
  let log = logger.child({ messageId: received.messageId });
  try {
    const message = decodeCompletion(received.encodedData);
    log = log.child({ gameDate: message.game_date, correlationId: message.correlation_id });
    const result = await deps.tracker.handle({
      message,
      messageId: received.messageId,
      ...(received.publishTime !== undefined && { publishTime: received.publishTime }),
    });
    await reportSideIssues(deps, log, result, received.messageId);
    logCompletionResult(log, config, result);
    return { status: 200, body: { status: result.action, duplicate: result.duplicate } };
  } catch (error) {
    if (error instanceof InvalidMessageError || error instanceof StaleMessageError) {
      return rejectInput(deps, error, log, received.messageId);
    }
    return failRetryable(deps, error, log, received.messageId);
  }
}

async function rejectInput(
  deps: DeliveryDeps,
  error: unknown,
  log: Logger,
  messageId?: string,
): Promise<Reply> {
  const stale = error instanceof StaleMessageError;
  const reason = describeError(error);
  const excerpt = error instanceof InvalidMessageError ? error.excerpt : undefined;
  const event = stale ? "stale_message" : "poison_message";
  const answer = messageId === undefined ? "request refused (400)" : "message acknowledged";
  log.error(event, `${answer} without processing: ${reason}`, {
    reason,
    excerpt,
    retryable: false,
  });
  await deps.alerter.notify(
    alertFor(deps.config, {
      kind: stale ? "stale_message" : "poison_message",
      severity: "warning",
      title: `${stale ? "stale" : "unreadable"} message dropped`,
      message: excerpt !== undefined ? `${reason}\nexcerpt: ${excerpt}` : reason,
      errorType: stale ? "StaleMessageError" : "InvalidMessageError",
      ...(messageId !== undefined && { messageId }),
    }),
  );
  // A request that is not a Pub/Sub delivery at all was not sent by Pub/Sub: 400 is honest
  // and no redelivery follows. A delivery with bad data is acknowledged so it stops.
  const status = messageId === undefined ? 400 : 200;
  return { status, body: { status: "rejected", reason } };
}

async function failRetryable(
  deps: DeliveryDeps,
  error: unknown,
  log: Logger,
  messageId: string,
): Promise<Reply> {
  const dual = error instanceof DualWriteFailureError;
  const code = (error as { code?: unknown }).code;
  const fields = { error, code, retryable: isRetryable(error) };
  if (dual) {
    log.critical("dual_write_failed", describeError(error), fields);
  } else if (code === "trigger_publish_in_flight") {
    // Two deliveries of one message at once: the other is publishing. Nothing is wrong yet.
    log.warn("trigger_publish_in_flight", describeError(error), fields);
    return { status: 503, body: { status: "retry", reason: describeError(error) } };
  } else if (code === "primary_write_failed") {
    // One store failed: the backup has the completion; the decision waits for the primary.
    log.warn("primary_write_failed", `handing the message back: ${describeError(error)}`, fields);
  } else {
    log.error("delivery_failed", `handing the message back: ${describeError(error)}`, fields);
  }
  await deps.alerter.notify(
    alertFor(deps.config, {
      kind: dual ? "dual_write_failure" : "handler_error",
      severity: "error",
      title: dual
        ? `completion not stored anywhere (will retry)`
        : `message handed back for redelivery`,
      message: describeError(error),
      errorType: (error as { code?: string }).code ?? (error as Error).name ?? "Error",
      messageId,
      ...((error as Error).stack !== undefined && { stack: (error as Error).stack as string }),
    }),
  );
  return { status: 503, body: { status: "retry", reason: describeError(error) } };
}

async function reportSideIssues(
  deps: DeliveryDeps,
  log: Logger,
  result: CompletionResult,
  messageId: string,
): Promise<void> {
  const { config } = deps;
  const gameDate = result.snapshot.gameDate;
  if (result.backupError !== undefined) {
    log.warn("backup_write_failed", `backup store failed: ${describeError(result.backupError)}`, {
      error: result.backupError,
    });
    await deps.alerter.notify(
      alertFor(config, {
        kind: "single_write_failure",
        severity: "warning",
        title: `backup write failed (primary has it)`,
        message: describeError(result.backupError),
        gameDate,
        messageId,
        errorType: "backup_write_failed",
      }),
    );
  }
  if (result.action === "triggered" && result.decision?.timedOut) {
    await deps.alerter.notify(
      alertFor(config, {
        kind: "phase_timeout",
        severity: "timeout",
        title: `${config.targetPhase} triggered on timeout for ${gameDate}`,
        message: `reason ${result.decision.reason}; missing: ${result.decision.missing.join(", ")}`,
        gameDate,
        errorType: "phase_timeout",
      }),
    );
  }
}

/** Fills in the fields every alert of this orchestrator shares. */
export function alertFor(
  config: OrchestratorConfig,
  alert: Omit<AlertInput, "functionName" | "transition">,
): AlertInput {
  return { ...alert, functionName: config.name, transition: config.label };
}
