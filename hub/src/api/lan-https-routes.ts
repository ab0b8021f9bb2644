/**
 * @module HTTPS at home, for the app and for browsers (docs/lan-https.md): `GET /api/lan-https`
 * shows the certificate's name, expiry and whether phones can resolve it; a page asked for over
 * plain HTTP on the LAN is sent to the hub's trusted HTTPS origin once it exists and resolves.
 * The API, the live socket and loopback (the machine's own display) stay where they are, and so
 * does a browser whose app is paired here (its cookie names a paired app): its key lives in this
 * origin's storage, so the app moves its pairing over itself, when the owner says so.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { PAIRED_APP_COOKIE } from "../auth/routes.ts";

export interface LanHttpsView {
  status(): object;
  /** Where to send a browser that asked at this Host over HTTP, or null to stay. */
  secureOrigin(host: string): string | null;
  /** The names this hub answers to at its HTTPS origin (one per address). */
  hostNames(): string[];
}

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])(:\d+)?$/;

export function lanHttpsRoutes(view: () => LanHttpsView | null): Hono {
  const api = new Hono();
  api.get("/", (c) => c.json(view()?.status() ?? { state: "off" }));
  return api;
}

/**
 * Top-level page loads over plain HTTP go to the HTTPS origin: 307, never cached — a permanent
 * redirect would outlive a certificate that lapsed or a name the router started to hide.
 */
export function toSecureOrigin(view: () => LanHttpsView | null, isPaired: (appId: string) => boolean): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    const host = c.req.header("host") ?? url.host;
    const page = c.req.method === "GET" && !/^\/(api|ws)(\/|$)/.test(url.pathname);
    const pairedHere = () => {
      const id = getCookie(c, PAIRED_APP_COOKIE);
      return id !== undefined && isPaired(id);
    };
    if (url.protocol === "http:" && page && !LOOPBACK.test(host) && !pairedHere()) {
      const origin = view()?.secureOrigin(host);
      if (origin) {
        c.header("cache-control", "no-store");
        return c.redirect(`${origin}${url.pathname}${url.search}`, 307);
      }
    }
    await next();
  };
}
