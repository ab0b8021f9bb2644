/**
 * @module The scale, for the app's scale screen: what is connected and how it is (state, battery,
 * stale, health), the remembered scales, a scan for scales nearby, pairing one, forgetting one, and
 * the owner's Tare. Scan and pairing exist only for a scale the hub finds itself (Bluetooth); the
 * simulator's virtual scale is always there. A scale a phone lends shows as `phone`, and `in_use`
 * says which one brew-by-weight uses now.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { PhoneScale } from "../scale/phone-scale.ts";
import type { PreferredScale } from "../scale/preferred-scale.ts";
import { isPairable, type ScaleSource } from "../scale/scale-source.ts";
import { apiError } from "./errors.ts";
import { jsonBody, NOT_JSON } from "./json-body.ts";

const ScanBody = z.object({ seconds: z.number().min(0.5).max(30).optional() }).strict();
const PairBody = z.object({ id: z.string().min(1).max(300) }).strict();

const body = async (c: Context) => {
  const b = await jsonBody(c);
  return b === NOT_JSON ? undefined : b;
};

export interface ScaleRouteDeps {
  /** The scale the hub finds itself (null: none of its own). */
  own: () => ScaleSource | null;
  /** The one brew-by-weight uses (the hub's own, else a phone's): Tare goes to it. */
  inUse: PreferredScale;
  phone: PhoneScale;
}

export function scaleRoutes(d: ScaleRouteDeps): Hono {
  const scale = d.own;
  const api = new Hono();
  const notPairable = (c: Context) =>
    apiError(c, 409, "not_pairable", "this hub's scale is not a Bluetooth scale it finds itself (the simulator's, or none)");

  api.get("/", (c) => {
    const s = scale();
    const lent = d.phone.lent();
    const phone = lent ? { ...lent, connected: d.phone.current !== null } : null;
    const in_use = d.inUse.which();
    if (!s) return c.json({ source: "none", health: null, remembered: [], phone, in_use });
    const p = isPairable(s) ? s : null;
    return c.json({
      source: p ? "bluetooth" : "simulator",
      health: s.health(),
      ...(p ? { detail: p.detail(), remembered: p.remembered() } : { remembered: [] }),
      phone,
      in_use,
    });
  });

  api.post("/scan", async (c) => {
    const s = scale();
    if (!isPairable(s)) return notPairable(c);
    const parsed = ScanBody.safeParse((await body(c)) ?? {});
    if (!parsed.success) return apiError(c, 400, "invalid_body", "seconds must be 0.5 to 30");
    return c.json({ found: await s.discover(parsed.data.seconds ?? 4) });
  });

  api.post("/pair", async (c) => {
    const s = scale();
    if (!isPairable(s)) return notPairable(c);
    const parsed = PairBody.safeParse(await body(c));
    if (!parsed.success) return apiError(c, 400, "invalid_body", "give the id of a scale the scan found");
    if (!s.pair(parsed.data.id)) return apiError(c, 404, "not_found", "no such scale in the last scan: scan again");
    return c.json({ ok: true });
  });

  api.delete("/remembered/:id", (c) => {
    const s = scale();
    if (!isPairable(s)) return notPairable(c);
    s.forget(decodeURIComponent(c.req.param("id")));
    return c.json({ ok: true, remembered: s.remembered() });
  });

  api.post("/tare", async (c) => {
    const r = await d.inUse.tare();
    return r.ok ? c.json({ ok: true }) : apiError(c, r.code === "no_scale" ? 409 : 504, r.code, r.message);
  });

  return api;
}
