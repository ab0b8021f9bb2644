/**
 * @module HTTPS at home, for the app and for browsers (docs/lan-https.md): `GET /api/lan-https`
 * shows the certificate's name, expiry and whether phones can resolve it; a page asked for over
 * plain HTTP on the LAN is sent to the hub's trusted HTTPS origin once it exists and resolves.
 * The API, the live socket and loopback (the machine's own display) stay where they are.
 */
import { Hono, type MiddlewareHandler } from "hono";

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

/** Top-level page loads over plain HTTP go to the HTTPS origin (308 keeps the method). */
export function toSecureOrigin(view: () => LanHttpsView | null): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    const host = c.req.header("host") ?? url.host;
    const page = c.req.method === "GET" && !/^\/(api|ws)(\/|$)/.test(url.pathname);
    if (url.protocol === "http:" && page && !LOOPBACK.test(host)) {
      const origin = view()?.secureOrigin(host);
      if (origin) return c.redirect(`${origin}${url.pathname}${url.search}`, 308);
    }
    await next();
  };
}
