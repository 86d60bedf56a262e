import { z } from "zod";
import { InvalidMessageError } from "../errors";

/** A Pub/Sub message as delivered to the function, whatever the delivery format. */
export interface ReceivedMessage {
  /** Message data as delivered: base64 text, decoded by `decodeCompletion`. */
  encodedData: string;
  attributes: Record<string, string>;
  messageId: string;
  /** ISO time Pub/Sub accepted the message; used to drop messages that are too old. */
  publishTime?: string;
  subscription?: string;
  format: "push" | "cloudevent-binary" | "cloudevent-structured";
}

/** Subset of an HTTP request the parser needs; Express requests satisfy it. */
export interface EnvelopeRequest {
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

const MESSAGE_ID_MAX_LENGTH = 200;

/** Pub/Sub's push body puts the message here; it sends both camelCase and snake_case ids. */
const pubsubMessageSchema = z.looseObject({
  data: z.string().optional(),
  attributes: z.record(z.string(), z.string()).nullish(),
  // Pub/Sub ids are short digit strings; a longer one is not from Pub/Sub and would only
  // bloat every log line it appears in.
  messageId: z.string().min(1).max(MESSAGE_ID_MAX_LENGTH).optional(),
  message_id: z.string().min(1).max(MESSAGE_ID_MAX_LENGTH).optional(),
  publishTime: z.string().optional(),
  publish_time: z.string().optional(),
});

const pushBodySchema = z.looseObject({
  message: pubsubMessageSchema,
  subscription: z.string().optional(),
});

const structuredCloudEventSchema = z.looseObject({
  specversion: z.string(),
  id: z.string(),
  type: z.string(),
  data: pushBodySchema,
});

/**
 * Reads a Pub/Sub delivery from a push body, a binary-mode CloudEvent (ce-* headers, the
 * push body as data) or a structured-mode CloudEvent. Throws `InvalidMessageError` for
 * anything else. The data stays encoded: bad data is a bad message, not a bad delivery.
 */
export function parseEnvelope(request: EnvelopeRequest): ReceivedMessage {
  const body = normaliseBody(request.body);
  const contentType = String(header(request, "content-type") ?? "");
  if (contentType.startsWith("application/cloudevents+json")) {
    const event = structuredCloudEventSchema.safeParse(body);
    if (!event.success) throw invalid("structured CloudEvent without Pub/Sub data", body);
    return fromPushBody(event.data.data, "cloudevent-structured", event.data.id);
  }
  const push = pushBodySchema.safeParse(body);
  if (!push.success) throw invalid("body is neither a Pub/Sub push body nor a CloudEvent", body);
  const ceId = header(request, "ce-id");
  if (ceId !== undefined) {
    return fromPushBody(push.data, "cloudevent-binary", String(ceId));
  }
  return fromPushBody(push.data, "push");
}

function fromPushBody(
  body: z.infer<typeof pushBodySchema>,
  format: ReceivedMessage["format"],
  fallbackId?: string,
): ReceivedMessage {
  const message = body.message;
  const messageId = message.messageId ?? message.message_id ?? fallbackId;
  if (!messageId) throw invalid("Pub/Sub message has no messageId", body);
  if (messageId.length > MESSAGE_ID_MAX_LENGTH) throw invalid("messageId is too long", messageId);
  const publishTime = message.publishTime ?? message.publish_time;
  return {
    encodedData: message.data ?? "",
    attributes: message.attributes ?? {},
    messageId,
    format,
    ...(publishTime !== undefined && { publishTime }),
    ...(body.subscription !== undefined && { subscription: body.subscription }),
  };
}

function header(request: EnvelopeRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The framework parses JSON bodies; other content types arrive as text or bytes. */
function normaliseBody(body: unknown): unknown {
  if (Buffer.isBuffer(body) || typeof body === "string") {
    try {
      return JSON.parse(body.toString());
    } catch {
      return body.toString();
    }
  }
  return body;
}

function invalid(reason: string, input: unknown): InvalidMessageError {
  return new InvalidMessageError(reason, safeExcerpt(input));
}

/** At most this many characters of bad input go into a log line or an alert. */
export const EXCERPT_MAX_LENGTH = 160;

/** A short printable excerpt of any input, safe to log: escaped and cut. */
export function safeExcerpt(input: unknown): string {
  let text: string;
  try {
    text = typeof input === "string" ? input : (JSON.stringify(input) ?? String(input));
  } catch {
    text = String(input);
  }
  const escaped = JSON.stringify(text.slice(0, EXCERPT_MAX_LENGTH)).slice(1, -1);
  return text.length > EXCERPT_MAX_LENGTH ? `${escaped}…(${text.length} chars)` : escaped;
}
