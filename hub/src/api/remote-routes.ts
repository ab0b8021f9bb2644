/**
 * @module Remote access, for the app: the relay link's state, a ticket for the paired app that asks
 * (it joins this hub at the relay with it), and a claim letting the app's signed-in account list
 * this machine at the relay.
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
  // The phone's signed-in account may list this machine at the relay (it opens nothing: keys come from pairing).
  api.post("/claim", async (c) => {
    if (!relay) return apiError(c, 409, "no_relay", "remote access is off on this hub (start it with --relay)");
    if (c.get("caller")?.kind !== "app") return apiError(c, 403, "not_an_app", "claims are for paired apps");
    const b = (await c.req.json().catch(() => null)) as { iss?: unknown; sub?: unknown } | null;
    const ok = (v: unknown) => typeof v === "string" && v.length > 0 && v.length <= 256;
    if (!ok(b?.iss) || !ok(b?.sub)) return apiError(c, 400, "invalid_request", "send {iss, sub}: the account's issuer and subject");
    return c.json({ claim: relay.claimFor({ iss: String(b?.iss), sub: String(b?.sub) }, "BrewOS hub") });
  });
  return api;
}
