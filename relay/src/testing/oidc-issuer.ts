/**
 * Test helper: an OpenID Connect issuer of the test's own on 127.0.0.1 — an RSA key, its JWKS served
 * over HTTP, ID tokens signed with jose — which the relay fetches and checks exactly as it would
 * Google's. `idToken` can spoil one part of a token (audience, issuer, expiry, key). `/authorize`
 * is its sign-in page for the ID-token flow: the person `signedIn` is sent back at once to the
 * `redirect_uri` with a token carrying the request's `nonce`, as an issuer does after consent.
 */
import { exportJWK, generateKeyPair, SignJWT } from "jose";

export const TEST_AUDIENCE = "brewos-test-client";

export interface TestIssuer {
  issuer: string;
  jwksUrl: string;
  idToken(sub: string, edit?: { aud?: string; iss?: string; expS?: number; key?: CryptoKey; nonce?: string }): Promise<string>;
  authorizeUrl: string;
  /** Who signs in at /authorize next. */
  signedIn: { sub: string };
  stop(): void;
}

export async function startIssuer(): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: "test-1", alg: "RS256", use: "sig" };
  const signedIn = { sub: "nobody" };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: async (req) => {
      const u = new URL(req.url);
      if (u.pathname !== "/authorize") return Response.json({ keys: [jwk] });
      const q = u.searchParams;
      if (q.get("client_id") !== TEST_AUDIENCE || q.get("response_type") !== "id_token" || !q.get("redirect_uri"))
        return new Response("bad sign-in request", { status: 400 });
      const token = await idToken(signedIn.sub, { nonce: q.get("nonce") ?? "" });
      const back = new URLSearchParams({ id_token: token, state: q.get("state") ?? "" });
      return Response.redirect(`${q.get("redirect_uri")}#${back}`, 302);
    },
  });
  const issuer = `http://127.0.0.1:${server.port}`;
  const idToken: TestIssuer["idToken"] = (sub, edit = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ email: `${sub}@example.com`, ...(edit.nonce ? { nonce: edit.nonce } : {}) })
      .setProtectedHeader({ alg: "RS256", kid: "test-1" })
      .setIssuer(edit.iss ?? issuer)
      .setAudience(edit.aud ?? TEST_AUDIENCE)
      .setSubject(sub)
      .setIssuedAt(now - 10)
      .setExpirationTime(now + (edit.expS ?? 3600))
      .sign(edit.key ?? privateKey);
  };
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    authorizeUrl: `${issuer}/authorize`,
    signedIn,
    idToken,
    stop: () => server.stop(true),
  };
}
