/**
 * @module Who is asking (docs/security.md): the machine's own display on localhost (the kiosk), a
 * paired app proving its key (a session token on REST, a signed challenge on /ws), or anyone on
 * the network when the owner turned "open on my network" on. Everything else gets 401.
 */
import type { Database } from "bun:sqlite";
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getConnInfo } from "hono/bun";
import { apiError } from "../api/errors.ts";
import { HubIdentity } from "./identity.ts";
import { PairedApps } from "./paired-apps.ts";
import { Pairing } from "./pairing.ts";
import { Sessions } from "./sessions.ts";

export type Caller = { kind: "kiosk" } | { kind: "open" } | { kind: "app"; appId: string };

/** The header that carries LocalAuth.kioskToken on an in-process request. */
export const KIOSK_HEADER = "x-brewos-kiosk";

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Loopback peers: the display on the machine itself. */
export const LOOPBACK = ["127.0.0.1", "::1", "::ffff:127.0.0.1"];

export interface LocalAuthOptions {
  dataDir: string;
  db: Database;
  /** The owner's "open on my network" setting. */
  openOnNetwork: () => boolean;
  pairingTtlMs?: number;
  log?: (level: "info" | "warn", text: string) => void;
}

/** Requests that need no caller: what a not-yet-paired app needs to pair and sign in. */
const OPEN_ROUTES = new Set([
  "GET /api/info",
  "POST /api/pairing/begin",
  "POST /api/pairing/finish",
  "GET /api/auth/challenge",
  "POST /api/auth/session",
]);

export class LocalAuth {
  readonly identity: HubIdentity;
  readonly apps: PairedApps;
  readonly pairing: Pairing;
  readonly sessions: Sessions;
  readonly openOnNetwork: () => boolean;
  /** Marks the hub's own in-process requests made for the kiosk (socket REST from the machine's
   * display): random per run, never stored or sent anywhere; honoured only without a peer socket. */
  readonly kioskToken = randomBytes(32).toString("hex");

  constructor(o: LocalAuthOptions) {
    this.identity = HubIdentity.inFolder(o.dataDir, o.log);
    this.apps = new PairedApps(o.db);
    this.pairing = new Pairing({
      identity: this.identity,
      apps: this.apps,
      ...(o.pairingTtlMs ? { ttlMs: o.pairingTtlMs } : {}),
      ...(o.log ? { log: o.log } : {}),
    });
    this.sessions = new Sessions(this.identity.deviceId, this.apps);
    this.openOnNetwork = o.openOnNetwork;
  }
}

/** The peer's address, or null when there is no socket (requests made in-process). */
export function peerAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

/** Who this request comes from without any proof: the kiosk, or anyone when the hub is open. */
export function trustedCaller(c: Context, auth: LocalAuth, kiosk: readonly string[]): Caller | null {
  const addr = peerAddress(c);
  if (addr !== null && kiosk.includes(addr)) return { kind: "kiosk" };
  const mark = c.req.header(KIOSK_HEADER);
  if (addr === null && mark !== undefined && sameText(mark, auth.kioskToken)) return { kind: "kiosk" };
  if (auth.openOnNetwork()) return { kind: "open" };
  return null;
}

declare module "hono" {
  interface ContextVariableMap {
    caller: Caller;
  }
}

/** Every /api request names its caller, or is refused (except the routes that pair and sign in). */
export function requireCaller(auth: LocalAuth, kiosk: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    const trusted = trustedCaller(c, auth, kiosk);
    const header = c.req.header("authorization") ?? "";
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (bearer) {
      const t = auth.sessions.checkToken(bearer);
      if (t.ok) c.set("caller", { kind: "app", appId: t.appId });
      else if (!trusted) return apiError(c, 401, t.code, t.message);
    }
    if (!c.get("caller") && trusted) c.set("caller", trusted);
    if (!c.get("caller") && !OPEN_ROUTES.has(`${c.req.method} ${c.req.path}`)) {
      return apiError(c, 401, "unauthenticated", "pair this app with the machine first: its display shows a code and a QR code");
    }
    await next();
  };
}
