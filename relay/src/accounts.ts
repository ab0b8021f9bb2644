/**
 * @module Accounts on the relay, the seed's sign-in path (docs/remote.md, "Accounts"), off unless
 * configured: an OpenID Connect ID token (Google's by default: `aud` the client id, `iss` either of
 * Google's forms, `exp`, checked against the issuer's JWKS with jose) names the account; a machine
 * the account claimed (the claim signed by the machine for one of its paired apps) appears in that
 * account's device list on every phone signed in to it. The list opens nothing: keys come only
 * from pairing with the machine. Stored: account (issuer, subject) ↔ machine id ↔ the signed claim,
 * in this instance's SQLite or, with several instances, in Redis.
 */
import type { Database } from "bun:sqlite";
import { readClaim } from "@brewos/protocol/relay/account-claim";
import { Hono } from "hono";
import { cors } from "hono/cors";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { verifyNative } from "./ed25519.ts";

export interface OidcConfig {
  /** Accepted `iss` values. */
  issuers: string[];
  /** The client id the tokens must be for (`aud`). */
  audience: string;
  jwksUrl: string;
  /** Where the app sends a person to sign in (the issuer's authorization endpoint, ID token flow). */
  authorizationUrl?: string;
}

/** Google Sign-In: either issuer form Google uses, its published keys. */
export const googleOidc = (clientId: string): OidcConfig => ({
  issuers: ["https://accounts.google.com", "accounts.google.com"],
  audience: clientId,
  jwksUrl: "https://www.googleapis.com/oauth2/v3/certs",
  authorizationUrl: "https://accounts.google.com/o/oauth2/v2/auth",
});

/** What the app needs to start a sign-in (public: no token yet), or null when it cannot. */
export function signInConfig(o: OidcConfig): { issuer: string; client_id: string; authorization_url: string } | null {
  const issuer = o.issuers[0];
  return issuer && o.authorizationUrl ? { issuer, client_id: o.audience, authorization_url: o.authorizationUrl } : null;
}

export interface Account {
  iss: string;
  sub: string;
}

/** Where claims are kept: this instance's SQLite, or Redis for all instances (cluster.ts). */
export interface ClaimStore {
  put(account: Account, hubId: string, claim: string, atMs: number): Promise<void>;
  list(account: Account): Promise<{ hub_id: string; claim: string; claimed_at_ms: number }[]>;
  remove(account: Account, hubId: string): Promise<boolean>;
}

/** Claims in the registry's SQLite (one instance). */
export function sqliteClaims(db: Database): ClaimStore {
  db.exec(
    "CREATE TABLE IF NOT EXISTS claims (iss TEXT NOT NULL, sub TEXT NOT NULL, hub_id TEXT NOT NULL, claim TEXT NOT NULL, claimed_at_ms INTEGER NOT NULL, PRIMARY KEY (iss, sub, hub_id)) STRICT",
  );
  return {
    put: async (a, hub, claim, now) => {
      db.query(
        "INSERT INTO claims (iss, sub, hub_id, claim, claimed_at_ms) VALUES ($iss, $sub, $hub, $claim, $now) ON CONFLICT (iss, sub, hub_id) DO UPDATE SET claim = $claim, claimed_at_ms = $now",
      ).run({ iss: a.iss, sub: a.sub, hub, claim, now });
    },
    list: async (a) =>
      db
        .query<{ hub_id: string; claim: string; claimed_at_ms: number }, { iss: string; sub: string }>(
          "SELECT hub_id, claim, claimed_at_ms FROM claims WHERE iss = $iss AND sub = $sub ORDER BY claimed_at_ms",
        )
        .all({ iss: a.iss, sub: a.sub }),
    remove: async (a, hub) =>
      db.query("DELETE FROM claims WHERE iss = $iss AND sub = $sub AND hub_id = $hub").run({ iss: a.iss, sub: a.sub, hub }).changes > 0,
  };
}

export class Accounts {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    private readonly store: ClaimStore,
    private readonly oidc: OidcConfig,
    /** A machine's public key (the registry, or the cluster's). */
    private readonly hubKey: (id: string) => Promise<Uint8Array | null>,
  ) {
    this.keys = createRemoteJWKSet(new URL(oidc.jwksUrl), { cooldownDuration: 30_000, timeoutDuration: 5000 });
  }

  get config(): OidcConfig {
    return this.oidc;
  }

  /** The account an `Authorization: Bearer <ID token>` names, or why not. */
  async who(authorization: string | undefined): Promise<Account | { why: string }> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    if (!token) return { why: "sign in first: send your ID token as Authorization: Bearer" };
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.oidc.issuers,
        audience: this.oidc.audience,
        clockTolerance: 30,
        requiredClaims: ["sub", "exp"],
      });
      return { iss: String(payload.iss), sub: String(payload.sub) };
    } catch (e) {
      return { why: `the ID token was refused: ${(e as Error).message}` };
    }
  }

  /** Keep a machine's claim for this account: signed by that machine, for this very account. */
  async claim(account: Account, token: string, nowMs: number): Promise<{ ok: true; hub_id: string } | { ok: false; why: string }> {
    const r = readClaim(token);
    if (!r.ok) return r;
    if (r.claim.iss !== account.iss || r.claim.sub !== account.sub) return { ok: false, why: "this claim is for another account" };
    const key = await this.hubKey(r.claim.hub);
    if (!key) return { ok: false, why: "that machine has never connected to this relay" };
    if (!(await verifyNative(r.signature, r.signed, key))) return { ok: false, why: "the claim is not signed by that machine" };
    await this.store.put(account, r.claim.hub, token, nowMs);
    return { ok: true, hub_id: r.claim.hub };
  }

  async devices(account: Account): Promise<{ hub_id: string; name: string; claimed_at_ms: number }[]> {
    return (await this.store.list(account)).map((row) => {
      const r = readClaim(row.claim);
      return { hub_id: row.hub_id, name: r.ok ? r.claim.name : row.hub_id, claimed_at_ms: row.claimed_at_ms };
    });
  }

  unclaim(account: Account, hubId: string): Promise<boolean> {
    return this.store.remove(account, hubId);
  }
}

/**
 * `/api/account/…` on the relay: the device list and claims for a signed-in phone. Any origin may
 * ask (the app lives on each machine's own origin); the ID token is the only credential.
 */
export function accountRoutes(
  accounts: Accounts,
  online: (hubId: string) => boolean | Promise<boolean>,
  now: () => number,
): Hono<{ Variables: { account: Account } }> {
  const api = new Hono<{ Variables: { account: Account } }>();
  api.use("*", cors({ origin: "*", allowHeaders: ["authorization", "content-type"], allowMethods: ["GET", "POST", "DELETE"] }));
  // How to sign in: public, asked before there is a token.
  api.get("/sign-in", (c) => {
    const cfg = signInConfig(accounts.config);
    return cfg ? c.json(cfg) : c.json({ error: { code: "no_sign_in", message: "this relay has no sign-in page configured" } }, 404);
  });
  api.use("*", async (c, next) => {
    const who = await accounts.who(c.req.header("authorization"));
    if ("why" in who) return c.json({ error: { code: "unauthenticated", message: who.why } }, 401);
    c.set("account", who);
    await next();
  });
  api.get("/devices", async (c) => {
    const list = await accounts.devices(c.get("account"));
    return c.json({ devices: await Promise.all(list.map(async (d) => ({ ...d, online: await online(d.hub_id) }))) });
  });
  api.post("/claims", async (c) => {
    const body = (await c.req.json().catch(() => null)) as { claim?: unknown } | null;
    if (typeof body?.claim !== "string") return c.json({ error: { code: "invalid_request", message: "send {claim}" } }, 400);
    const r = await accounts.claim(c.get("account"), body.claim, now());
    if (!r.ok) return c.json({ error: { code: "refused", message: r.why } }, 403);
    return c.json({ ok: true, hub_id: r.hub_id });
  });
  api.delete("/devices/:id", async (c) =>
    (await accounts.unclaim(c.get("account"), c.req.param("id")))
      ? c.json({ ok: true })
      : c.json({ error: { code: "not_found", message: "this account has not claimed that machine" } }, 404),
  );
  return api;
}
