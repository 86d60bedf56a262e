import type { Clock } from "../clock";
import type { AlertInput, AlertSeverity } from "./alert";
import { cloudLoggingLink, type LogLocation } from "./cloud_logging_link";

/** Longest message shown; the rest is cut so that an alert stays readable. */
export const MESSAGE_MAX_CHARS = 500;
/** Longest stack shown; Slack sections allow 3,000 characters, the code fence needs some. */
export const STACK_MAX_CHARS = 2_000;
/** Slack rejects header blocks longer than this (`invalid_blocks`). */
const HEADER_MAX_CHARS = 150;
/** Slack rejects a section field longer than this. */
const FIELD_MAX_CHARS = 2_000;
/** Appended where text was cut, so nobody mistakes a cut stack for the whole one. */
export const CUT_MARKER = "… [cut]";

/** Attachment colour bar per severity. */
export const SEVERITY_COLOURS: Record<AlertSeverity, string> = {
  error: "#D0021B",
  warning: "#F5A623",
  timeout: "#9013FE",
  info: "#4A90E2",
};

const SEVERITY_ICONS: Record<AlertSeverity, string> = {
  error: "🔴",
  warning: "🟠",
  timeout: "⏱️",
  info: "🔵",
};

/** How many alerts with the same fingerprint were held back since the last one was sent. */
export interface SuppressedSummary {
  count: number;
  /** When the previous alert of this fingerprint was sent. */
  sinceIso?: string;
}

/** What the payload needs besides the alert itself. */
export interface SlackPayloadContext extends LogLocation {
  clock: Clock;
  suppressed?: SuppressedSummary;
}

/** Slack Block Kit block; only the shapes this module builds. */
export type SlackBlock = Record<string, unknown>;

/** The JSON body posted to an incoming webhook. */
export interface SlackPayload {
  /** Plain-text fallback used in notifications and by clients that cannot show blocks. */
  text: string;
  blocks: SlackBlock[];
  attachments: { color: string; blocks: SlackBlock[] }[];
}

/**
 * Builds the Block Kit payload for one alert: the header (transition and title) sits on top,
 * every detail sits in an attachment so that it carries the severity colour bar.
 */
export function buildSlackPayload(alert: AlertInput, context: SlackPayloadContext): SlackPayload {
  const now = context.clock.now().toISOString();
  const header = cut(
    `${SEVERITY_ICONS[alert.severity]} ${alert.transition}: ${alert.title}`,
    HEADER_MAX_CHARS,
  );
  const fields: [string, string | undefined][] = [
    ["Function", alert.functionName],
    ["Game date", alert.gameDate],
    ["Error type", alert.errorType ?? alert.kind],
    ["Severity", alert.severity],
    ["Correlation id", alert.correlationId],
    ["Pub/Sub message id", alert.messageId],
    ...Object.entries(alert.details ?? {}).map(([key, value]): [string, string] => [
      key,
      String(value),
    ]),
  ];
  const details: SlackBlock[] = [
    section(escapeAndCut(alert.message, MESSAGE_MAX_CHARS)),
    ...chunk(fields.filter(hasValue), MAX_FIELDS_PER_SECTION).map((group) => ({
      type: "section",
      fields: group.map(([label, value]) =>
        mrkdwn(`*${label}*\n${escapeAndCut(value, FIELD_MAX_CHARS)}`),
      ),
    })),
  ];
  if (alert.stack) {
    // Triple backticks inside a stack would end the code block early.
    const stack = escapeAndCut(alert.stack.replaceAll("```", "ˋˋˋ"), STACK_MAX_CHARS);
    details.push(section(`\`\`\`${stack}\`\`\``));
  }
  if (context.suppressed && context.suppressed.count > 0) {
    const since = context.suppressed.sinceIso ? ` since ${context.suppressed.sinceIso}` : "";
    details.push(
      section(`:mute: ${context.suppressed.count} identical alert(s) suppressed${since}`),
    );
  }
  const link = cloudLoggingLink(context, alert.functionName, alert.correlationId);
  const contextLine = [`${now} UTC`, `kind \`${alert.kind}\``];
  contextLine.push(link ? `<${link}|Logs in Cloud Logging>` : "no logs link (project id unknown)");
  details.push({ type: "context", elements: [mrkdwn(contextLine.join(" · "))] });

  return {
    text: fallbackText(alert, context.suppressed),
    blocks: [{ type: "header", text: { type: "plain_text", text: header, emoji: true } }],
    attachments: [{ color: SEVERITY_COLOURS[alert.severity], blocks: details }],
  };
}

/** Slack allows at most 10 fields in one section. */
const MAX_FIELDS_PER_SECTION = 10;

/** One line for the phone notification: what, where, which date. */
function fallbackText(alert: AlertInput, suppressed?: SuppressedSummary): string {
  const parts = [`[${alert.severity.toUpperCase()}] ${alert.transition}: ${alert.title}`];
  parts.push(`function ${alert.functionName}`);
  if (alert.gameDate) parts.push(`game date ${alert.gameDate}`);
  if (suppressed && suppressed.count > 0) parts.push(`${suppressed.count} suppressed`);
  return escapeMrkdwn(parts.join(" · "));
}

/** Cuts `text` to at most `maxChars` characters (code points), marking the cut. */
export function cut(text: string, maxChars: number): string {
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  return chars.slice(0, maxChars - CUT_MARKER.length).join("") + CUT_MARKER;
}

/**
 * Escapes, then cuts, so that the limit holds for what Slack receives; an entity split by
 * the cut (`&am`) is dropped rather than shown half.
 */
function escapeAndCut(text: string, maxChars: number): string {
  const escaped = escapeMrkdwn(text);
  const kept = cut(escaped, maxChars);
  if (kept === escaped) return kept;
  const body = kept.slice(0, -CUT_MARKER.length).replace(/&[a-z]{0,3}$/, "");
  return body + CUT_MARKER;
}

/** Slack reads `&`, `<` and `>` as markup; these three must be escaped in any text. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function section(text: string): SlackBlock {
  return { type: "section", text: mrkdwn(text) };
}

function mrkdwn(text: string): { type: "mrkdwn"; text: string } {
  return { type: "mrkdwn", text };
}

function hasValue(entry: [string, string | undefined]): entry is [string, string] {
  return entry[1] !== undefined && entry[1] !== "";
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
