/** @module The hub's HTTP surface: /api (REST) and /ws (live state), on Bun through Hono. */
import { Hono } from "hono";
import { upgradeWebSocket, websocket } from "hono/bun";
import type { Hub } from "../hub.ts";
import { apiError } from "./errors.ts";
import { restRoutes } from "./rest.ts";
import { WsFanout } from "./ws.ts";

export interface HubServer {
  app: Hono;
  websocket: typeof websocket;
  fanout: WsFanout;
}

export function createHubServer(hub: Hub): HubServer {
  const fanout = new WsFanout(hub);
  const app = new Hono();
  app.route("/api", restRoutes(hub));
  app.get(
    "/ws",
    upgradeWebSocket(() => ({
      onOpen: (_e, ws) => fanout.open(ws),
      onMessage: (e, ws) => void fanout.message(ws, e.data),
      onClose: (_e, ws) => fanout.close(ws),
    })),
  );
  app.onError((e, c) => apiError(c, 500, "internal", `the hub failed: ${e.message}`));
  return { app, websocket, fanout };
}
