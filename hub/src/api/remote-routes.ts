/**
 * @module Remote access, for the app: the relay link's state, and a ticket for the paired app that
 * asks (it joins this hub at the relay with it; the relay checks the hub's signature, nothing more).
 */
import { Hono } from "hono";
import type { Caller } from "../auth/local-auth.ts";
import type { RelayLink } from "../remote/relay-link.ts";
import { apiError } from "./errors.ts";

export function remoteRoutes(relay: RelayLink | null): Hono<{ Variables: { caller: Caller } }> {
  const api = new Hono<{ Variables: { caller: Caller } }>();
  api.get("/", (c) => c.json({ relay: relay ? relay.health() : null }));
  api.post("/ticket", (c) => {
    if (!relay) return apiError(c, 409, "no_relay", "remote access is off on this hub (start it with --relay)");
    const caller = c.get("caller");
    if (caller?.kind !== "app") return apiError(c, 403, "not_an_app", "tickets are for paired apps");
    const t = relay.ticketFor(caller.appId);
    return c.json({ relay_url: relay.appUrl(), ...t });
  });
  return api;
}
