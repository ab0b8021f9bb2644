/**
 * @module Controller firmware for the app's update screen: what runs, what this hub carries, the
 * update's progress and the last outcome (a rollback included); starting and cancelling it.
 */
import { Hono } from "hono";
import type { ControllerUpdater } from "../firmware/controller-updater.ts";
import { apiError } from "./errors.ts";

export function firmwareRoutes(firmware: ControllerUpdater): Hono {
  const api = new Hono();
  api.get("/", (c) => c.json(firmware.view()));
  api.post("/update", (c) => {
    const r = firmware.start();
    if (!r.ok) return apiError(c, r.code === "link_down" ? 503 : 409, r.code, r.message);
    return c.json(firmware.view(), 202);
  });
  api.post("/abort", async (c) => {
    const r = await firmware.abort();
    if (!r.ok) return apiError(c, 409, r.code, r.message);
    return c.json(firmware.view());
  });
  return api;
}
