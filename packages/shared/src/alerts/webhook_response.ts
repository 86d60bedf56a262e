/** What one webhook answer means for the alert. */
export type WebhookVerdict =
  | { kind: "delivered" }
  /** Worth another try; `retryAfterMs` is what the server asked for, when it said. */
  | { kind: "retry"; status: number; retryAfterMs?: number }
  /** A configuration problem (revoked webhook, bad token, bad payload): retrying cannot help. */
  | { kind: "rejected"; status: number; slackError: string };

/** Longest part of a response body kept as the Slack error code. */
const SLACK_ERROR_MAX_CHARS = 80;

/**
 * Classifies an HTTP answer from a Slack incoming webhook. Webhooks answer 200 `ok` on
 * success and an HTTP error status with a short code in the body otherwise
 * (`invalid_payload`, `no_service`, `invalid_token`, `rate_limited`, …). Only 429 and 5xx
 * can pass on their own; every other status needs a person to fix the configuration.
 */
export function classifyWebhookResponse(
  status: number,
  body: string,
  retryAfterHeader: string | undefined,
  now: Date,
): WebhookVerdict {
  if (status >= 200 && status < 300) return { kind: "delivered" };
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfterMs(retryAfterHeader, now);
    return retryAfterMs === undefined
      ? { kind: "retry", status }
      : { kind: "retry", status, retryAfterMs };
  }
  return { kind: "rejected", status, slackError: slackErrorCode(body) };
}

/**
 * Reads a Retry-After header: delay-seconds (what Slack sends) or an HTTP date.
 * Returns undefined when absent or unreadable.
 */
export function parseRetryAfterMs(header: string | undefined, now: Date): number | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now.getTime());
}

/** A short, log-safe code from the body: one token of word characters, or `unknown`. */
function slackErrorCode(body: string): string {
  const token = body.trim().slice(0, SLACK_ERROR_MAX_CHARS);
  return /^[\w.-]+$/.test(token) ? token : "unknown";
}
