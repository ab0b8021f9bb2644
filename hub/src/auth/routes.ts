/**
 * @module Pairing and sign-in routes (docs/api/pairing.md): begin/finish a pairing, get a challenge
 * and trade its signature for a session token, and — for the kiosk or a paired app — show a
 * pairing code, list, rename and revoke paired apps.
 */
import { pairingLink } from "@brewos/protocol/auth";
import { PairBeginRequest, PairFinishRequest, SessionRequest } from "@brewos/protocol/auth/messages";
import { type Context, Hono } from "hono";
import { setCookie } from "hono/cookie";
import type { z } from "zod";
import { apiError } from "../api/errors.ts";
import type { LocalAuth } from "./local-auth.ts";

export interface AuthRoutesOptions {
  /** Addresses a phone can reach this hub at (http[s]://host:port), best first; default: the request's own origin. */
  bases?: () => string[];
  /** The relay's app endpoint (ws[s]://host/app) when remote access is on, for invites away from home. */
  relayAppUrl?: () => string | null;
}

/** Names the paired app of a browser on the plain-HTTP address, so it is not sent to the HTTPS one before it moved its pairing there (docs/lan-https.md). */
export const PAIRED_APP_COOKIE = "brewos_app";

function rememberPlainHttpApp(c: Context, appId: string): void {
  if (new URL(c.req.url).protocol !== "http:") return;
  setCookie(c, PAIRED_APP_COOKIE, appId, { path: "/", httpOnly: true, sameSite: "Strict", maxAge: 365 * 86_400 });
}

const LOOPBACK_HOST = /^(localhost|127(\.\d+){3}|\[::1\])$/;

async function parsed<T extends z.ZodType>(c: Context, schema: T): Promise<{ ok: true; value: z.infer<T> } | { ok: false; res: Response }> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return { ok: false, res: apiError(c, 400, "invalid_json", "the request body is not JSON") };
  }
  const r = schema.safeParse(body);
  if (r.success) return { ok: true, value: r.data };
  const i = r.error.issues[0];
  return { ok: false, res: apiError(c, 400, "invalid_request", `${i?.path.join(".") || "(body)"}: ${i?.message}`) };
}

export function authRoutes(auth: LocalAuth, o: AuthRoutesOptions = {}): Hono {
  const api = new Hono();

  api.post("/pairing/begin", async (c) => {
    const r = await parsed(c, PairBeginRequest);
    if (!r.ok) return r.res;
    return c.json(auth.pairing.begin(r.value.app_public_key));
  });

  api.post("/pairing/finish", async (c) => {
    const r = await parsed(c, PairFinishRequest);
    if (!r.ok) return r.res;
    const out = auth.pairing.finish(r.value);
    if (!out.ok) return apiError(c, out.status, out.code, out.message);
    rememberPlainHttpApp(c, out.app.id);
    return c.json({
      app_id: out.app.id,
      device_id: auth.identity.deviceId,
      hub_public_key: auth.identity.publicKeyText,
      hub_mac: out.hubMac,
    });
  });

  api.get("/auth/challenge", (c) => c.json({ nonce: auth.sessions.challenge(), device_id: auth.identity.deviceId }));

  api.post("/auth/session", async (c) => {
    const r = await parsed(c, SessionRequest);
    if (!r.ok) return r.res;
    const app = auth.sessions.prove("rest", r.value.app_id, r.value.nonce, r.value.signature);
    if (!app) {
      return apiError(
        c,
        401,
        "unauthenticated",
        "the signature does not match a paired app, or the challenge expired; pair again if this app was removed",
      );
    }
    rememberPlainHttpApp(c, app);
    return c.json(auth.sessions.issueToken(app));
  });

  // From here on the caller is the kiosk, a paired app, or anyone when the hub is open.
  // `{"away": true}`: an invite for a phone away from home, opened at the relay (docs/remote.md).
  api.post("/pairing/code", async (c) => {
    const body = (await c.req.json().catch(() => null)) as { away?: unknown } | null;
    const relayUrl = body?.away === true ? (o.relayAppUrl?.() ?? null) : undefined;
    if (relayUrl === null) return apiError(c, 409, "no_relay", "remote access is off: set the machine's relay first (docs/remote.md)");
    const w = auth.pairing.open();
    const own = new URL(c.req.url);
    const bases = o.bases?.() ?? [];
    const all = LOOPBACK_HOST.test(own.hostname) ? bases : [own.origin, ...bases.filter((b) => b !== own.origin)];
    const link = pairingLink({
      deviceId: auth.identity.deviceId,
      hubPublicKey: auth.identity.publicKey,
      secret: w.secret,
      bases: all.length ? all : [own.origin],
      ...(relayUrl ? { relayUrl } : {}),
    });
    return c.json({ typed_code: w.typed, link, expires_at_ms: w.expiresAtMs, device_id: auth.identity.deviceId, away: Boolean(relayUrl) });
  });

  api.delete("/pairing/code", (c) => {
    auth.pairing.close();
    return c.json({ ok: true });
  });

  api.get("/pairing/apps", (c) => {
    const caller = c.get("caller");
    const me = caller?.kind === "app" ? caller.appId : null;
    return c.json({ apps: auth.apps.list().map((a) => ({ ...a, this_app: a.id === me })) });
  });

  api.patch("/pairing/apps/:id", async (c) => {
    const body = (await c.req.json().catch(() => null)) as { name?: unknown } | null;
    const name = typeof body?.name === "string" ? body.name.trim() : "";
    if (name.length < 1 || name.length > 60) return apiError(c, 400, "invalid_request", "name: 1 to 60 characters");
    if (!auth.apps.rename(c.req.param("id"), name)) return apiError(c, 404, "not_found", `no paired app ${c.req.param("id")}`);
    return c.json({ ok: true });
  });

  api.delete("/pairing/apps/:id", (c) => {
    if (!auth.apps.revoke(c.req.param("id"))) return apiError(c, 404, "not_found", `no paired app ${c.req.param("id")}`);
    return c.json({ ok: true });
  });

  return api;
}
