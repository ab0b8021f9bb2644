/**
 * @module Proving an app's key: one-time challenges (60 s) the app signs, and short-lived REST
 * session tokens the hub signs with a key that lives only in memory (a restart ends every session;
 * the app gets a new one by signing again). A token names its app; it stops working the moment
 * the app is revoked.
 */
import { equalBytes, fromBase64Url, hmacSha256, sessionProofMessage, toBase64Url, utf8, verify } from "@brewos/protocol/auth";
import type { PairedApps } from "./paired-apps.ts";

export const TOKEN_TTL_MS = 15 * 60_000;
const CHALLENGE_TTL_MS = 60_000;
const MAX_CHALLENGES = 256;

export type TokenCheck = { ok: true; appId: string } | { ok: false; code: "session_expired" | "unauthenticated"; message: string };

export class Sessions {
  private readonly key = crypto.getRandomValues(new Uint8Array(32));
  private readonly challenges = new Map<string, number>();

  constructor(
    private readonly deviceId: string,
    private readonly apps: PairedApps,
    private readonly now: () => number = Date.now,
  ) {}

  /** A fresh one-time nonce to sign. */
  challenge(): string {
    const t = this.now();
    for (const [n, at] of this.challenges) if (t - at > CHALLENGE_TTL_MS) this.challenges.delete(n);
    while (this.challenges.size >= MAX_CHALLENGES) this.challenges.delete(this.challenges.keys().next().value as string);
    const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(18)));
    this.challenges.set(nonce, t);
    return nonce;
  }

  /** Checks a signed challenge (used up either way); the app id on success. */
  prove(kind: "ws" | "rest", appId: string, nonce: string, signatureText: string): string | null {
    const at = this.challenges.get(nonce);
    this.challenges.delete(nonce);
    if (at === undefined || this.now() - at > CHALLENGE_TTL_MS) return null;
    return this.proveFresh(kind, appId, nonce, signatureText) ? appId : null;
  }

  /** Checks a signature over a nonce the caller issued itself (a /ws socket's own challenge). */
  proveFresh(kind: "ws" | "rest", appId: string, nonce: string, signatureText: string): boolean {
    const key = this.apps.publicKey(appId);
    const sig = fromBase64Url(signatureText);
    if (!key || !sig) return false;
    const ok = verify(sig, sessionProofMessage(kind, this.deviceId, nonce), key);
    if (ok) this.apps.seen(appId);
    return ok;
  }

  issueToken(appId: string): { token: string; expires_at_ms: number } {
    const exp = this.now() + TOKEN_TTL_MS;
    const body = toBase64Url(utf8(JSON.stringify({ a: appId, e: exp })));
    return { token: `${body}.${toBase64Url(this.mac(body))}`, expires_at_ms: exp };
  }

  checkToken(token: string): TokenCheck {
    const [body, mac, extra] = token.split(".");
    const given = fromBase64Url(mac ?? "");
    if (!body || !given || extra !== undefined || !equalBytes(this.mac(body), given)) {
      return { ok: false, code: "unauthenticated", message: "the session token is not one this hub issued (it restarted?); sign in again" };
    }
    const claims = JSON.parse(new TextDecoder().decode(fromBase64Url(body) ?? new Uint8Array())) as { a: string; e: number };
    if (this.now() >= claims.e) return { ok: false, code: "session_expired", message: "the session token expired; sign in again" };
    if (!this.apps.publicKey(claims.a)) return { ok: false, code: "unauthenticated", message: "this app is no longer paired with the hub" };
    this.apps.seen(claims.a);
    return { ok: true, appId: claims.a };
  }

  private mac(body: string): Uint8Array {
    return hmacSha256(this.key, utf8(`brewos-token-v1.${body}`));
  }
}
