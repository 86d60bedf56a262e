import { timingSafeEqual } from "node:crypto";
import { OAuth2Client } from "google-auth-library";
import type { HttpRequest, Reply } from "./http_types";

/** Who may call the admin routes (sweep, retrigger, replay). */
export interface AdminAuthSettings {
  /** Shared bearer token, for local runs and tests. */
  adminToken?: string;
  /** Expected `aud` of Google-signed ID tokens: the function's URL. */
  audience?: string;
  /** Service accounts (emails) allowed to call, e.g. Cloud Scheduler's. */
  allowedEmails: readonly string[];
}

/** Checks an ID token; the default asks Google's public keys, tests pass their own. */
export type IdTokenVerifier = (token: string, audience: string) => Promise<{ email?: string }>;

/** Verifies a Google-signed OIDC token with google-auth-library. */
export function googleIdTokenVerifier(client = new OAuth2Client()): IdTokenVerifier {
  return async (token, audience) => {
    const ticket = await client.verifyIdToken({ idToken: token, audience });
    const payload = ticket.getPayload();
    return payload?.email_verified && payload.email ? { email: payload.email } : {};
  };
}

/**
 * Returns null when the request may use an admin route, or the 401/403 reply to send.
 * The deployed functions also refuse unauthenticated invocation at the platform; this is
 * the second lock, so that a push subscription's identity cannot force a retrigger.
 */
export async function checkAdmin(
  request: HttpRequest,
  settings: AdminAuthSettings,
  verify: IdTokenVerifier = googleIdTokenVerifier(),
): Promise<Reply | null> {
  const header = request.headers.authorization;
  const value = Array.isArray(header) ? header[0] : header;
  const token = value?.startsWith("Bearer ") ? value.slice("Bearer ".length).trim() : "";
  if (!token) return { status: 401, body: { error: "authentication required" } };
  if (settings.adminToken !== undefined && sameSecret(token, settings.adminToken)) return null;
  if (settings.audience !== undefined && settings.allowedEmails.length > 0) {
    try {
      const { email } = await verify(token, settings.audience);
      if (email !== undefined && settings.allowedEmails.includes(email)) return null;
    } catch {
      // An unverifiable token is refused like a wrong one; no detail goes back.
    }
  }
  return { status: 403, body: { error: "not allowed" } };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
