import axios, { type AxiosInstance } from "axios";
import { type Clock, type RandomSource, systemClock } from "../clock";
import type { Logger } from "../logging/logger";
import { type AlertTimers, sleep, systemTimers } from "./alert_timers";
import { type OnceLatch, processLatch } from "./once_latch";
import { classifyWebhookResponse } from "./webhook_response";

/** Default total time one alert may take, all attempts and waits included. */
export const DEFAULT_ALERT_BUDGET_MS = 3_000;
const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_BASE_DELAY_MS = 200;
const DEFAULT_MAX_DELAY_MS = 1_000;

/** How a post ended; never contains the webhook URL. */
export type PostOutcome =
  | { delivered: true; attempts: number }
  | {
      delivered: false;
      attempts: number;
      /**
       * `rejected`: a 4xx other than 429, a configuration problem, not retried.
       * `budget_exhausted`: the time budget ran out (or a wait would not fit in it).
       * `attempts_exhausted`: every allowed attempt failed with a retryable error.
       */
      reason: "rejected" | "budget_exhausted" | "attempts_exhausted";
      /** Last HTTP status, when there was an answer. */
      status?: number;
      /** Slack's error code from the body, e.g. `no_service`. */
      slackError?: string;
      /** Last network error code, e.g. `ECONNREFUSED`, when there was no answer. */
      networkError?: string;
    };

/** Settings and collaborators of a poster; all but the URL have defaults. */
export interface WebhookPosterOptions {
  webhookUrl: string;
  budgetMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  clock?: Clock;
  /** Aborts an attempt when the budget runs out. */
  timers?: AlertTimers;
  /** Waits between attempts; defaults to a timer on `timers`. */
  sleep?: (delayMs: number) => Promise<void>;
  random?: RandomSource;
  http?: AxiosInstance;
  /** Receives the once-per-process "webhook misconfigured" line; nothing else is logged. */
  logger?: Logger;
  latch?: OnceLatch;
}

/**
 * Posts JSON to a Slack incoming webhook within a total time budget. Retries 429 (waiting
 * for Retry-After when it fits in what is left of the budget), 5xx and network errors with
 * capped full-jitter backoff; refuses to retry any other answer. Never throws.
 */
export class WebhookPoster {
  private readonly budgetMs: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly clock: Clock;
  private readonly timers: AlertTimers;
  private readonly sleep: (delayMs: number) => Promise<void>;
  private readonly random: RandomSource;
  private readonly http: AxiosInstance;
  private readonly latch: OnceLatch;
  private readonly logger: Logger | undefined;

  constructor(private readonly options: WebhookPosterOptions) {
    this.budgetMs = options.budgetMs ?? DEFAULT_ALERT_BUDGET_MS;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.sleep = options.sleep ?? ((delayMs) => sleep(this.timers, delayMs));
    this.random = options.random ?? Math.random;
    // No proxy: an HTTP(S)_PROXY variable must not reroute (and see) the secret URL.
    this.http = options.http ?? axios.create({ proxy: false, maxRedirects: 0 });
    this.latch = options.latch ?? processLatch;
    this.logger = options.logger?.withSecrets([options.webhookUrl]);
  }

  /** Posts `payload`, within `budgetMs` (default: the poster's budget). */
  async post(payload: unknown, budgetMs = this.budgetMs): Promise<PostOutcome> {
    const deadlineMs = this.clock.now().getTime() + budgetMs;
    const remaining = () => deadlineMs - this.clock.now().getTime();
    let last: { status?: number; networkError?: string } = {};
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (remaining() <= 0)
        return { delivered: false, attempts: attempt - 1, reason: "budget_exhausted", ...last };
      const answer = await this.attempt(payload, remaining());
      if (answer.kind === "timed_out") {
        return { delivered: false, attempts: attempt, reason: "budget_exhausted", ...last };
      }
      let waitMs: number;
      if (answer.kind === "network") {
        last = { networkError: answer.code };
        waitMs = this.backoffMs(attempt);
      } else {
        const verdict = classifyWebhookResponse(
          answer.status,
          answer.body,
          answer.retryAfter,
          this.clock.now(),
        );
        if (verdict.kind === "delivered") return { delivered: true, attempts: attempt };
        if (verdict.kind === "rejected") {
          this.reportRejection(verdict.status, verdict.slackError);
          return {
            delivered: false,
            attempts: attempt,
            reason: "rejected",
            status: verdict.status,
            slackError: verdict.slackError,
          };
        }
        last = { status: verdict.status };
        waitMs = verdict.retryAfterMs ?? this.backoffMs(attempt);
      }
      if (attempt === this.maxAttempts) break;
      // A wait that ends past the deadline only delays the handler; give up now instead.
      if (waitMs >= remaining())
        return { delivered: false, attempts: attempt, reason: "budget_exhausted", ...last };
      await this.sleep(waitMs);
    }
    return { delivered: false, attempts: this.maxAttempts, reason: "attempts_exhausted", ...last };
  }

  /** Capped full jitter: a random wait up to min(cap, base · 2^(attempt-1)). */
  private backoffMs(attempt: number): number {
    const ceilingMs = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(this.random() * ceilingMs);
  }

  /** One HTTP attempt, aborted when the budget runs out. Only safe fields leave this method. */
  private async attempt(
    payload: unknown,
    timeLeftMs: number,
  ): Promise<
    | { kind: "answer"; status: number; body: string; retryAfter: string | undefined }
    | { kind: "network"; code: string }
    | { kind: "timed_out" }
  > {
    const controller = new AbortController();
    const timer = this.timers.setTimeout(() => controller.abort(), timeLeftMs);
    try {
      const response = await this.http.post(this.options.webhookUrl, payload, {
        signal: controller.signal,
        validateStatus: () => true,
        responseType: "text",
        transformResponse: (data: unknown) => data,
        headers: { "content-type": "application/json" },
      });
      const retryAfter = response.headers["retry-after"];
      return {
        kind: "answer",
        status: response.status,
        body: typeof response.data === "string" ? response.data : "",
        retryAfter: typeof retryAfter === "string" ? retryAfter : undefined,
      };
    } catch (error) {
      if (controller.signal.aborted) return { kind: "timed_out" };
      // Axios errors carry the request config, URL included: keep only the error code.
      const code = (error as { code?: unknown }).code;
      return { kind: "network", code: typeof code === "string" ? code : "unknown" };
    } finally {
      this.timers.clearTimeout(timer);
    }
  }

  private reportRejection(status: number, slackError: string): void {
    if (!this.logger || !this.latch.first(`webhook_rejected:${status}:${slackError}`)) return;
    this.logger.error(
      "alert_webhook_rejected",
      `Slack refused an alert (HTTP ${status} ${slackError}): check SLACK_WEBHOOK_URL in Secret ` +
        "Manager. Alerts are not being delivered; this is logged once per instance.",
      { status, slackError },
    );
  }
}
