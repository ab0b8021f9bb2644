/**
 * @module The board's Wi-Fi (docs/api/rest.md): the networks in range, and joining one. A new
 * machine is on no network yet, so a phone reaches these over Bluetooth, inside its end-to-end
 * channel (docs/api/ble.md) — the password is write-only: it goes to NetworkManager and is never
 * answered, logged or stored by the hub.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { type WifiManager, WifiUnavailable } from "../net/wifi.ts";
import { apiError } from "./errors.ts";
import { jsonBody, NOT_JSON } from "./json-body.ts";

const SSID_MAX_BYTES = 32;
const JoinBody = z
  .object({
    ssid: z
      .string()
      .min(1)
      .refine((s) => Buffer.byteLength(s, "utf8") <= SSID_MAX_BYTES, `a network name is at most ${SSID_MAX_BYTES} bytes`),
    /** WPA2/WPA3 personal: 8–63 characters; null or absent for an open network. */
    password: z.string().min(8).max(63).nullable().optional(),
  })
  .strict();

export function wifiRoutes(wifi: WifiManager | null): Hono {
  const api = new Hono();
  const unavailable = (c: Context, why: string) => apiError(c, 409, "no_wifi", why);
  const guarded = async (c: Context, f: (w: WifiManager) => Promise<Response>) => {
    if (!wifi) return unavailable(c, "this hub does not manage Wi-Fi (the simulator, or no NetworkManager)");
    try {
      return await f(wifi);
    } catch (e) {
      if (e instanceof WifiUnavailable) return unavailable(c, e.message);
      throw e;
    }
  };

  api.get("/", (c) => guarded(c, async (w) => c.json({ networks: await w.scan() })));

  api.post("/", (c) =>
    guarded(c, async (w) => {
      const raw = await jsonBody(c);
      if (raw === NOT_JSON) return apiError(c, 400, "invalid_json", "the request body is not JSON");
      const b = JoinBody.safeParse(raw);
      if (!b.success)
        return apiError(c, 400, "invalid", b.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
      const r = await w.join(b.data.ssid, b.data.password ?? null);
      if (r.ok) return c.json({ ssid: r.ssid, address: r.address });
      return apiError(c, r.code === "timed_out" ? 504 : 422, r.code, r.message);
    }),
  );
  return api;
}
