import { InvalidMessageError } from "../errors";
import { type CompletionMessage, completionMessageSchema } from "./completion_message";
import { safeExcerpt } from "./pubsub_envelope";

/** Standard base64 with padding, as Pub/Sub sends it; Node's decoder alone skips bad bytes. */
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict UTF-8 that keeps a byte-order mark, so that a BOM makes the JSON invalid. */
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Turns base64 message data into a validated completion message, or throws
 * `InvalidMessageError` saying exactly what is wrong. Never interprets the content.
 */
export function decodeCompletion(encoded: string): CompletionMessage {
  if (encoded.length === 0) throw new InvalidMessageError("message data is empty", "");
  if (!BASE64_PATTERN.test(encoded)) {
    throw new InvalidMessageError("message data is not base64", safeExcerpt(encoded));
  }
  const data = Buffer.from(encoded, "base64");
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    throw new InvalidMessageError("message data is not UTF-8", safeExcerpt(data.toString("hex")));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = text.charCodeAt(0) === 0xfeff ? " (starts with a byte-order mark)" : "";
    throw new InvalidMessageError(`message data is not JSON${detail}`, safeExcerpt(text), {
      cause: error,
    });
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new InvalidMessageError("message data is not a JSON object", safeExcerpt(text));
  }
  const parsed = completionMessageSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
      .join("; ");
    throw new InvalidMessageError(`invalid completion message: ${problems}`, safeExcerpt(text));
  }
  return parsed.data;
}
