import { createHash } from "node:crypto";

/**
 * Firestore document id of one delivery. A message id comes from the request, so it is
 * hashed: no text from a message ever becomes part of a Firestore path.
 */
export function deliveryDocId(messageId: string): string {
  return `d-${createHash("sha256").update(messageId).digest("hex").slice(0, 40)}`;
}
