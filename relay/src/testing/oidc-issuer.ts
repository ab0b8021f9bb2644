/**
 * Test helper: an OpenID Connect issuer of the test's own on 127.0.0.1 — an RSA key, its JWKS served
 * over HTTP, ID tokens signed with jose — which the relay fetches and checks exactly as it would
 * Google's. `idToken` can spoil one part of a token (audience, issuer, expiry, key).
 */
import { exportJWK, generateKeyPair, SignJWT } from "jose";

export const TEST_AUDIENCE = "brewos-test-client";

export interface TestIssuer {
  issuer: string;
  jwksUrl: string;
  idToken(sub: string, edit?: { aud?: string; iss?: string; expS?: number; key?: CryptoKey }): Promise<string>;
  stop(): void;
}

export async function startIssuer(): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: "test-1", alg: "RS256", use: "sig" };
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => Response.json({ keys: [jwk] }) });
  const issuer = `http://127.0.0.1:${server.port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    idToken: (sub, edit = {}) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ email: `${sub}@example.com` })
        .setProtectedHeader({ alg: "RS256", kid: "test-1" })
        .setIssuer(edit.iss ?? issuer)
        .setAudience(edit.aud ?? TEST_AUDIENCE)
        .setSubject(sub)
        .setIssuedAt(now - 10)
        .setExpirationTime(now + (edit.expS ?? 3600))
        .sign(edit.key ?? privateKey);
    },
    stop: () => server.stop(true),
  };
}
