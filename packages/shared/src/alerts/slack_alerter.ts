import { type Clock, systemClock } from "../clock";
import { describeError } from "../errors";
import type { Logger } from "../logging/logger";
import type { Alerter, AlertInput } from "./alert";
import type { LogLocation } from "./cloud_logging_link";
import { buildSlackPayload } from "./slack_blocks";
import type { Admission, StormGuard } from "./storm_guard";
import type { PostOutcome, WebhookPoster } from "./webhook_poster";

/** What happened to one alert; returned by `send` for callers and tests that need to know. */
export type AlertOutcome =
  | { status: "sent"; suppressedCount: number; post: PostOutcome & { delivered: true } }
  | { status: "suppressed" }
  | { status: "failed"; post: PostOutcome & { delivered: false } }
  | { status: "internal_error"; error: string };

/** Collaborators of a Slack alerter. */
export interface SlackAlerterOptions {
  poster: WebhookPoster;
  guard: StormGuard;
  /** Project and region, for the link to the function's logs. */
  location: LogLocation;
  /** Total time one alert may take: cooldown check and every post attempt together. */
  budgetMs: number;
  clock?: Clock;
  /**
   * Gets one line per alert that could not be delivered. `notify` returns nothing, so
   * without this line a lost alert would go unnoticed, which is the failure alerts exist for.
   */
  logger?: Logger;
}

/**
 * Sends alerts to Slack: the storm guard decides whether this occurrence goes out, then the
 * poster delivers it within what is left of the budget. Never throws.
 */
export class SlackAlerter implements Alerter {
  private readonly clock: Clock;

  constructor(private readonly options: SlackAlerterOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Sends (or holds back) one alert; resolves within the budget and never rejects. */
  async notify(alert: AlertInput): Promise<void> {
    const outcome = await this.send(alert);
    if (outcome.status === "internal_error") {
      this.options.logger?.error("alert_internal_error", "alerting failed unexpectedly", {
        alertKind: alert.kind,
        error: outcome.error,
      });
    }
    // A rejected webhook is already logged once by the poster; repeating it per alert is noise.
    if (outcome.status === "failed" && outcome.post.reason !== "rejected") {
      this.options.logger?.warn("alert_not_delivered", `alert not delivered: ${alert.title}`, {
        alertKind: alert.kind,
        function: alert.functionName,
        gameDate: alert.gameDate,
        correlationId: alert.correlationId,
        reason: outcome.post.reason,
        attempts: outcome.post.attempts,
        status: outcome.post.status,
        networkError: outcome.post.networkError,
      });
    }
  }

  /** Like `notify`, but says what happened. Never rejects. */
  async send(alert: AlertInput): Promise<AlertOutcome> {
    try {
      const startMs = this.clock.now().getTime();
      // The monthly test alert must always go out, whatever was sent before.
      const admission: Admission =
        alert.kind === "test_alert"
          ? { send: true, suppressedCount: 0, decidedBy: "in_process" }
          : await this.options.guard.admit(alert);
      if (!admission.send) return { status: "suppressed" };

      const shown = admission.decidedBy === "store_unavailable" ? withFallbackNote(alert) : alert;
      const payload = buildSlackPayload(shown, {
        ...this.options.location,
        clock: this.clock,
        suppressed: {
          count: admission.suppressedCount,
          ...(admission.previousSentAt ? { sinceIso: admission.previousSentAt.toISOString() } : {}),
        },
      });
      const leftMs = this.options.budgetMs - (this.clock.now().getTime() - startMs);
      const post = await this.options.poster.post(payload, leftMs);
      if (post.delivered)
        return { status: "sent", suppressedCount: admission.suppressedCount, post };
      // Nobody was told: the next occurrence must not be held back by this window.
      if (alert.kind !== "test_alert") this.options.guard.release(alert);
      return { status: "failed", post };
    } catch (error) {
      return { status: "internal_error", error: describeError(error) };
    }
  }
}

/** Tells readers that repeats from other instances may follow: the shared cooldown failed. */
function withFallbackNote(alert: AlertInput): AlertInput {
  return {
    ...alert,
    details: { ...alert.details, Cooldown: "this instance only (cooldown store unavailable)" },
  };
}
