/** @module The hub's HTTP surface: /api (REST) and /ws (live state), on Bun through Hono. */

import { StaticApp } from "@brewos/pwa/serve";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { upgradeWebSocket, websocket } from "hono/bun";
import { LOOPBACK, requireCaller, trustedCaller } from "../auth/local-auth.ts";
import { type AuthRoutesOptions, authRoutes } from "../auth/routes.ts";
import type { Hub } from "../hub.ts";
import type { WifiManager } from "../net/wifi.ts";
import { RelayLink } from "../remote/relay-link.ts";
import { isStorageError } from "../store/storage-health.ts";
import { type CrossSiteOptions, crossSiteGuard } from "./cross-site.ts";
import { apiError } from "./errors.ts";
import { firmwareRoutes } from "./firmware-routes.ts";
import { type LanHttpsView, lanHttpsRoutes, toSecureOrigin } from "./lan-https-routes.ts";
import { BODY_LIMIT_BYTES } from "./limits.ts";
import { remoteRoutes } from "./remote-routes.ts";
import { restRoutes } from "./rest.ts";
import { safeModeRoutes } from "./safe-mode.ts";
import { wifiRoutes } from "./wifi-routes.ts";
import { WsFanout } from "./ws.ts";

export { BACKUP_BODY_LIMIT_BYTES, BODY_LIMIT_BYTES } from "./limits.ts";

export interface HubServer {
  app: Hono;
  websocket: typeof websocket;
  fanout: WsFanout;
  /** The link out to the relay (remote access), when configured; the caller starts and stops it. */
  relay: RelayLink | null;
}

export interface HubServerOptions extends CrossSiteOptions, AuthRoutesOptions {
  /** Folder of the built app (pwa/dist). */
  appDir?: string;
  /** Peer addresses trusted as the machine's own display (default: loopback). */
  kioskAddresses?: readonly string[];
  /** How safe mode restarts the hub once the damaged database was moved aside. */
  restart?: () => void;
  /** The relay's hub endpoint (ws(s)://host/hub) for remote access; none: off. */
  relayUrl?: string;
  /** The board's Wi-Fi (NetworkManager); none: the routes say this hub does not manage it. */
  wifi?: WifiManager;
  /** HTTPS at home, once main.ts has set it up (docs/lan-https.md). */
  lanHttps?: () => LanHttpsView | null;
}

export function createHubServer(hub: Hub, o: HubServerOptions = {}): HubServer {
  const fanout = new WsFanout(hub, (request) => app.fetch(request));
  const relay = o.relayUrl
    ? new RelayLink({
        url: o.relayUrl,
        identity: hub.auth.identity,
        appKey: (id) => hub.auth.apps.publicKey(id),
        clients: fanout,
        rest: (request) => app.fetch(request),
      })
    : null;
  const site = o.appDir ? new StaticApp(o.appDir) : null;
  const app = new Hono();
  const lanHttps = o.lanHttps ?? (() => null);
  const hostNames = o.hostNames ?? (() => hub.settings.hubSettings().host_names);
  app.use("*", crossSiteGuard({ hostNames: () => [...hostNames(), ...(lanHttps()?.hostNames() ?? [])] }));
  // After the Host check: only names this hub answers to are sent on to its HTTPS origin.
  app.use(
    "*",
    toSecureOrigin(lanHttps, (id) => hub.auth.apps.publicKey(id) !== null),
  );
  const tooLarge = (limit: number) =>
    bodyLimit({
      maxSize: limit,
      onError: (c) => apiError(c, 413, "too_large", `the request body is larger than ${limit} bytes`),
    });
  // A backup upload streams and counts its own bytes (BACKUP_BODY_LIMIT_BYTES); the rest are small.
  const otherLimit = tooLarge(BODY_LIMIT_BYTES);
  app.use("/api/*", (c, next) => (c.req.method === "POST" && c.req.path === "/api/backup" ? next() : otherLimit(c, next)));
  const kiosk = o.kioskAddresses ?? LOOPBACK;
  app.use("/api/*", requireCaller(hub.auth, kiosk));
  app.route("/api", authRoutes(hub.auth, { ...o, relayAppUrl: () => relay?.appUrl() ?? null }));
  app.route(
    "/api",
    safeModeRoutes({ safeMode: hub.safeMode, settingsView: () => hub.settings.view(), ...(o.restart ? { restart: o.restart } : {}) }),
  );
  app.route("/api/remote", remoteRoutes(relay));
  app.route("/api/lan-https", lanHttpsRoutes(lanHttps));
  app.route("/api/controller/firmware", firmwareRoutes(hub.firmware));
  app.route("/api/network/wifi", wifiRoutes(o.wifi ?? null));
  app.route("/api", restRoutes(hub));
  app.get(
    "/ws",
    upgradeWebSocket((c) => {
      const caller = trustedCaller(c, hub.auth, kiosk);
      return {
        onOpen: (_e, ws) => fanout.open(ws, caller),
        onMessage: (e, ws) => void fanout.message(ws, e.data),
        onClose: (_e, ws) => fanout.close(ws),
      };
    }),
  );
  app.get("*", (c) => {
    const r = site?.serve(c.req.raw);
    if (r) return r;
    if (site?.built) return apiError(c, 404, "not_found", `no file ${c.req.path}`);
    return c.html(
      "<!doctype html><title>BrewOS hub</title><p>The BrewOS app is not built yet. The hub is running: its API is at <a href=/api/state>/api</a> and its live stream at /ws.</p>",
      503,
    );
  });
  app.onError((e, c) => {
    // A path or query with a broken %-escape cannot be decoded: the request's fault, not the hub's.
    if (e instanceof URIError) return apiError(c, 400, "invalid_query", "the address has a broken %-escape");
    if (isStorageError(e)) {
      hub.storage.failed(`${c.req.method} ${c.req.path}`, e);
      return apiError(c, 507, "storage_full", "the hub's disk is full: nothing was changed; free space or keep fewer shots (Settings)");
    }
    return apiError(c, 500, "internal", `the hub failed: ${e.message}`);
  });
  return { app, websocket, fanout, relay };
}
