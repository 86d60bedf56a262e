import { GoogleAuth, type IdTokenClient } from "google-auth-library";

/** Gives a Google-signed ID token for `audience`; tests inject their own. */
export type IdTokenProvider = (audience: string) => Promise<string>;

/**
 * ID tokens from the function's service account through google-auth-library. One client
 * per audience, so that its cached token is reused until it nears expiry.
 */
export function googleIdTokenProvider(auth: GoogleAuth = new GoogleAuth()): IdTokenProvider {
  const clients = new Map<string, Promise<IdTokenClient>>();
  return async (audience) => {
    let client = clients.get(audience);
    if (!client) {
      client = auth.getIdTokenClient(audience);
      // A failed lookup must not stay cached: the next call tries again.
      client.catch(() => clients.delete(audience));
      clients.set(audience, client);
    }
    const headers = await (await client).getRequestHeaders();
    const value = headers.get("authorization") ?? "";
    if (!value.startsWith("Bearer ")) throw new Error("no ID token in the auth headers");
    return value.slice("Bearer ".length);
  };
}
