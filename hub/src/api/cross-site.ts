/**
 * @module No cross-site control: every request must name the hub by a name it answers to (DNS
 * rebinding gets a page's own name in Host), every state change must be a JSON body (HTML forms
 * and "simple" text/plain POSTs cannot send one without a CORS preflight, which the hub never
 * grants), and a browser's Origin on a state change, an API read or a /ws upgrade must be the
 * hub's own (a browser's Sec-Fetch-Site saying another site sent it is refused on /api and /ws).
 * Non-browser clients (curl, scripts) send no Origin and pass the Origin rule, not the others.
 */
import type { MiddlewareHandler } from "hono";
import { apiError } from "./errors.ts";

export interface CrossSiteOptions {
  /** Extra names the hub answers to (a LAN certificate's name, a reverse proxy), lower case. */
  hostNames?: () => string[];
}

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const NEEDS_JSON = new Set(["POST", "PUT", "PATCH"]);

/** The host part of a Host header or URL authority, lower case, without port or IPv6 brackets. */
export function hostOnly(authority: string): string {
  const a = authority.trim().toLowerCase();
  if (a.startsWith("[")) return a.slice(1, a.indexOf("]"));
  const colon = a.lastIndexOf(":");
  return colon >= 0 && a.indexOf(":") === colon ? a.slice(0, colon) : a;
}

function isIpLiteral(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || (host.includes(":") && /^[0-9a-f:.]+$/.test(host));
}

/**
 * Whether `host` is one the hub answers to: an IP literal (a rebinding page always has a name),
 * localhost, a `.local` mDNS name, or a configured name.
 */
export function hostAllowed(host: string, extra: string[] = []): boolean {
  if (host === "") return false;
  if (isIpLiteral(host)) return true;
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (/^[a-z0-9-]{1,63}\.local$/.test(host)) return true;
  return extra.includes(host);
}

export function crossSiteGuard(o: CrossSiteOptions = {}): MiddlewareHandler {
  return async (c, next) => {
    const hostHeader = c.req.header("host") ?? new URL(c.req.url).host;
    const host = hostOnly(hostHeader);
    if (!hostAllowed(host, o.hostNames?.() ?? [])) {
      return apiError(
        c,
        421,
        "wrong_host",
        `this hub does not answer to "${host}"; open it by its address or its .local name, or add the name to the hub setting host_names`,
      );
    }
    const upgrade = (c.req.header("upgrade") ?? "").toLowerCase() === "websocket";
    const method = c.req.method.toUpperCase();
    const api = c.req.path === "/ws" || c.req.path.startsWith("/api/");
    // Reads too: the browser would hide the answer from another site's page, but the hub does not
    // rely on that — a browser's own word that the request comes from another site is enough.
    const site = c.req.header("sec-fetch-site");
    if (api && (site === "cross-site" || site === "same-site")) {
      return apiError(c, 403, "cross_origin", "requests from another site may not change, read or watch this machine");
    }
    if (STATE_CHANGING.has(method) || upgrade || api) {
      const origin = c.req.header("origin");
      if (origin !== undefined) {
        let ok = false;
        try {
          ok = origin !== "null" && new URL(origin).host.toLowerCase() === hostHeader.toLowerCase();
        } catch {
          ok = false;
        }
        if (!ok) return apiError(c, 403, "cross_origin", `requests from ${origin} may not change, read or watch this machine`);
      }
    }
    if (NEEDS_JSON.has(method)) {
      const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
      // NDJSON (a streamed backup) is no "simple" type either: a page on another site cannot send it without a preflight.
      if (type !== "application/json" && type !== "application/x-ndjson") {
        return apiError(c, 415, "json_required", "send the body as JSON with Content-Type: application/json");
      }
    }
    await next();
  };
}
