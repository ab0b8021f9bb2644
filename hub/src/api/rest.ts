/**
 * @module REST routes under /api (docs/api/rest.md). Every input is validated; every failure is an
 * ApiErrorBody with a code from docs/api/errors.md.
 */

import { join } from "node:path";
import { type Profile, ProfileError, parseProfile } from "@brewos/protocol/profile";
import { PROTOCOL_VERSION_MAJOR, PROTOCOL_VERSION_MINOR } from "@brewos/protocol/uart";
import { Hono } from "hono";
import { HUB_VERSION_TEXT, type Hub } from "../hub.ts";
import { PROFILE_SLOTS } from "../machine/profiles.ts";
import { CONTROLLER_KEYS } from "../settings/schema.ts";
import { Settings } from "../settings/settings.ts";
import { EXPORT_FORMATS, type ExportFormat, exportCsv, exportJson, exportVisualizer, profileTitleOf, sampleRows } from "../shots/export.ts";
import { exportBeanconqueror } from "../shots/export-beanconqueror.ts";
import { exportSepCsv } from "../shots/export-sep-csv.ts";
import { MAINTENANCE_KINDS, type MaintenanceKind } from "../stats/statistics.ts";
import { backupStream, importBackupStream } from "../store/backup-stream.ts";
import { parseCommand, parseWith, ShotAnnotationsSchema } from "./commands.ts";
import { apiError, statusForRefusal } from "./errors.ts";
import { HeavyLane } from "./heavy-lane.ts";
import { jsonBody, NOT_JSON } from "./json-body.ts";
import { BACKUP_BODY_LIMIT_BYTES } from "./limits.ts";
import { longRequest } from "./long-request.ts";
import { scaleRoutes } from "./scale-routes.ts";

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function restRoutes(hub: Hub): Hono {
  const api = new Hono();

  api.get("/health", (c) => {
    const link = hub.link.health();
    let db = "ok";
    try {
      hub.db.query("SELECT 1").get();
    } catch (e) {
      db = (e as Error).message;
    }
    const storage = hub.storage.status();
    const status = db !== "ok" ? "failing" : link.state === "up" && storage.state === "ok" && !hub.safeMode ? "ok" : "degraded";
    return c.json(
      {
        status,
        db,
        link,
        scale: hub.ownScale || hub.scale.which() ? hub.scale.health() : null,
        mqtt: hub.mqtt.status,
        storage,
        safe_mode: hub.safeMode,
        /** Stored settings the hub could not use as they are; each fell back alone (fix by saving it again). */
        settings_problems: hub.settings.problems,
        uptime_s: Math.round((Date.now() - hub.startedAt) / 1000),
      },
      db === "ok" ? 200 : 503,
    );
  });

  api.get("/info", (c) =>
    c.json({
      ...(c.get("caller")
        ? { controller: hub.link.health().controller, interrupted_shots_at_start: hub.interruptedAtStart, hub_id: hub.deviceId }
        : {}),
      hub: {
        name: "BrewOS hub",
        version: HUB_VERSION_TEXT,
        device_id: hub.auth.identity.deviceId,
        public_key: hub.auth.identity.publicKeyText,
      },
      /** How this request was let in: kiosk, open, app — or null (pair first). */
      caller: c.get("caller")?.kind ?? null,
      protocol: { major: PROTOCOL_VERSION_MAJOR, minor: PROTOCOL_VERSION_MINOR },
    }),
  );

  api.get("/state", (c) => c.json(hub.model.snapshot()));

  api.post("/commands", async (c) => {
    const body = await jsonBody(c);
    if (body === NOT_JSON) return apiError(c, 400, "invalid_json", "the request body is not JSON");
    const parsed = parseCommand(body);
    if (!parsed.ok) return apiError(c, 400, parsed.code, parsed.message, parsed.issues);
    const out = await hub.control.run(parsed.value);
    if (!out.ok) return apiError(c, statusForRefusal(out.code), out.code, out.message);
    return c.json({ ok: true, ...(out.detail ?? {}) });
  });

  api.route("/scale", scaleRoutes({ own: () => hub.ownScale, inUse: hub.scale, phone: hub.phoneScale }));

  api.get("/next-shot", (c) => c.json(hub.nextShot.get()));
  api.put("/next-shot", async (c) => {
    const body = await jsonBody(c);
    if (body === NOT_JSON) return apiError(c, 400, "invalid_json", "the request body is not JSON");
    const r = hub.nextShot.set(body, "app");
    if (!r.ok) return apiError(c, 400, r.code, r.message, r.issues);
    return c.json(r.value);
  });

  api.get("/settings", (c) => c.json(hub.settings.view()));

  // Every controller setting with its range and the value in force: set through the hub, else
  // what the controller reported, else the protocol's default. The app builds its form from this.
  api.get("/settings/controller", (c) => {
    const set = hub.settings.view().controller;
    return c.json({
      keys: CONTROLLER_KEYS.map((k) => {
        const reported = hub.link.config.get(k.id);
        const source = k.name in set ? "hub" : reported !== undefined ? "controller" : "default";
        const value = set[k.name] ?? reported ?? k.default;
        return { name: k.name, unit: k.unit, min: k.min, max: k.max, default: k.default, value, source };
      }),
    });
  });

  api.patch("/settings", async (c) => {
    const body = await jsonBody(c);
    if (body === NOT_JSON) return apiError(c, 400, "invalid_json", "the request body is not JSON");
    // A retention change that deletes shots now is applied only when the caller confirms it.
    const retention = (body as { hub?: { retention?: object } } | null)?.hub?.retention;
    if (retention && typeof retention === "object" && c.req.query("confirm") !== "delete_shots") {
      const n = hub.shots.countPrunable({ ...hub.settings.hubSettings().retention, ...retention });
      if (n > 0) {
        return apiError(
          c,
          409,
          "confirm_required",
          `this keeps fewer shots: ${n} shot${n === 1 ? "" : "s"} in the history would be deleted for good. Send it again with ?confirm=delete_shots to go ahead.`,
          [{ path: "hub.retention", message: `${n} shot(s) would be deleted` }],
        );
      }
    }
    const r = await hub.settings.apply(body);
    const badInput = r.ok ? false : r.code === "invalid_settings" || r.code === "secret_required";
    if (!r.ok) return apiError(c, badInput ? 400 : statusForRefusal(r.code), r.code, r.message, r.issues);
    return c.json({ ok: true, pushed_to_controller: r.pushed ?? false, settings: hub.settings.view() });
  });

  api.get("/autotune", (c) => c.json(hub.autotune.view()));

  api.get("/statistics", (c) => c.json(hub.statistics.summary()));

  api.get("/profiles", (c) => c.json({ bundled: hub.profiles.bundled, custom: hub.profileLibrary.list(), slots: hub.profiles.list() }));

  api.put("/profiles/library/:id", async (c) => {
    const body = await jsonBody(c);
    if (body === NOT_JSON) return apiError(c, 400, "invalid_json", "the request body is not JSON");
    const r = hub.profileLibrary.put(c.req.param("id"), body);
    if (!r.ok) return apiError(c, r.code === "conflict" ? 409 : 400, r.code, r.message);
    return c.json({ ok: true, profile: r.profile });
  });

  api.delete("/profiles/library/:id", (c) => {
    const id = c.req.param("id");
    if (!hub.profileLibrary.delete(id)) return apiError(c, 404, "not_found", `no profile "${id}" in the library`);
    return c.json({ ok: true });
  });

  api.put("/profiles/:slot", async (c) => {
    const slot = Number(c.req.param("slot"));
    if (!Number.isInteger(slot) || slot < 1 || slot > PROFILE_SLOTS)
      return apiError(c, 400, "invalid_query", `slot must be 1..${PROFILE_SLOTS}`);
    const body = (await jsonBody(c)) as { bundled?: unknown; custom?: unknown; profile?: unknown } | typeof NOT_JSON;
    if (body === NOT_JSON || body === null || typeof body !== "object")
      return apiError(c, 400, "invalid_json", 'send {"bundled": id}, {"custom": id} or {"profile": {…}}');
    let profile: Profile;
    if (typeof body.bundled === "string") {
      const found = hub.profiles.bundled.find((p) => p.id === body.bundled);
      if (!found) return apiError(c, 404, "not_found", `no bundled profile "${body.bundled}"`);
      profile = found;
    } else if (typeof body.custom === "string") {
      const found = hub.profileLibrary.get(body.custom);
      if (!found) return apiError(c, 404, "not_found", `no profile "${body.custom}" in the library`);
      profile = found;
    } else {
      try {
        profile = parseProfile(body.profile);
      } catch (e) {
        if (e instanceof ProfileError) return apiError(c, 400, "invalid_profile", e.message);
        throw e;
      }
    }
    const r = await hub.profiles.upload(slot, profile);
    if (!r.ok) return apiError(c, statusForRefusal(r.code), r.code, r.message);
    return c.json({ ok: true, slot, profile: { id: profile.id, name: profile.name } });
  });

  // Backups stream (NDJSON, docs/api/rest.md) through one lane: never two at once.
  const lane = new HeavyLane();
  api.get("/backup", async (c) => {
    longRequest(c);
    const release = await lane.enter();
    c.header("content-disposition", `attachment; filename="brewos-backup-${new Date().toISOString().slice(0, 10)}.ndjson"`);
    return c.body(backupStream(hub.db, hub.settings.view(), release), 200, { "content-type": "application/x-ndjson" });
  });

  api.post("/backup", async (c) => {
    const body = c.req.raw.body;
    if (!body) return apiError(c, 400, "invalid_backup", "(backup): the upload is empty");
    // One restore at a time, and none queued: a waiting upload's body would pile up in memory.
    if (lane.busy) {
      c.header("retry-after", "30");
      return apiError(c, 429, "busy", "a backup is being exported or restored right now; send this one again when it has finished");
    }
    longRequest(c);
    const release = await lane.enter();
    let r: Awaited<ReturnType<typeof importBackupStream>>;
    try {
      r = await importBackupStream(hub.db, body, {
        bumpSeq: () => hub.shots.nextServerSeq(),
        stagingPath: join(hub.dataDir, "restore.staging"),
        maxBytes: BACKUP_BODY_LIMIT_BYTES,
        checkSettings: (settings) => {
          const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
          if (!isObject(settings) || !isObject(settings.hub) || !isObject(settings.controller))
            return "must be an object with hub and controller objects";
          const check = Settings.check(Settings.patchFromView(settings));
          return check.ok ? null : check.message;
        },
      });
    } finally {
      release();
    }
    if (!r.ok) return apiError(c, r.code === "too_large" ? 413 : 400, r.code, r.message);
    const { settings, ...result } = r;
    // A backup never carries secrets: if it points MQTT at another broker, the stored password is
    // forgotten rather than sent there.
    const applied = settings
      ? await hub.settings.apply(Settings.patchFromView(settings), { newDestination: "forget" })
      : { ok: true as const };
    return c.json({ ...result, settings_restored: applied.ok, ...(applied.ok ? {} : { settings_error: applied.message }) });
  });

  api.post("/maintenance", async (c) => {
    const body = (await jsonBody(c)) as { kind?: unknown } | typeof NOT_JSON;
    if (body === NOT_JSON) return apiError(c, 400, "invalid_json", "the request body is not JSON");
    const kind = body?.kind;
    if (typeof kind !== "string" || !(MAINTENANCE_KINDS as readonly string[]).includes(kind)) {
      return apiError(c, 400, "invalid_command", `kind must be one of ${MAINTENANCE_KINDS.join(", ")}`);
    }
    hub.statistics.recordMaintenance(kind as MaintenanceKind);
    return c.json({ ok: true, maintenance: hub.statistics.maintenance() });
  });

  api.get("/shots", (c) => {
    const limitText = c.req.query("limit") ?? "50";
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      return apiError(c, 400, "invalid_query", `limit must be a whole number from 1 to 500, not "${limitText}"`);
    const before = c.req.query("before");
    if (before !== undefined && !ID.test(before)) return apiError(c, 400, "invalid_query", "before must be a shot id");
    const shots = hub.shots.list(limit, before);
    return c.json({ shots, next: shots.length === limit ? (shots.at(-1)?.id ?? null) : null });
  });

  api.get("/shots/:id", (c) => {
    const id = c.req.param("id");
    const shot = ID.test(id) ? hub.shots.get(id) : null;
    if (!shot) return apiError(c, 404, "not_found", `no shot ${id}`);
    return c.json(shot);
  });

  api.patch("/shots/:id", async (c) => {
    const id = c.req.param("id");
    if (!ID.test(id) || !hub.shots.get(id)) return apiError(c, 404, "not_found", `no shot ${id}`);
    const body = await jsonBody(c);
    if (body === NOT_JSON) return apiError(c, 400, "invalid_json", "the request body is not JSON");
    const parsed = parseWith(ShotAnnotationsSchema, body, "invalid_annotations", "annotations");
    if (!parsed.ok) return apiError(c, 400, parsed.code, parsed.message, parsed.issues);
    // The same write as a phone's edit: the merge rule, the hub's clock, a new server_seq.
    hub.sync.editLocal(id, parsed.value);
    const shot = hub.shots.get(id);
    if (!shot) return apiError(c, 404, "not_found", `no shot ${id}`);
    hub.shotChanged(shot);
    return c.json(shot);
  });

  api.get("/shots/:id/samples", (c) => {
    const id = c.req.param("id");
    const shot = ID.test(id) ? hub.shots.get(id) : null;
    if (!shot) return apiError(c, 404, "not_found", `no shot ${id}`);
    return c.json({ shot_id: id, samples: sampleRows(hub.shots.samples(id)) });
  });

  api.get("/shots/:id/export", (c) => {
    const id = c.req.param("id");
    const format = (c.req.query("format") ?? "json") as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) return apiError(c, 400, "invalid_query", `format must be one of ${EXPORT_FORMATS.join(", ")}`);
    const shot = ID.test(id) ? hub.shots.get(id) : null;
    if (!shot) return apiError(c, 404, "not_found", `no shot ${id}`);
    const samples = hub.shots.samples(id);
    const name = `brewos-shot-${new Date(shot.started_at_ms).toISOString().replaceAll(":", "-").slice(0, 19)}`;
    const csv = "text/csv; charset=utf-8";
    const json = "application/json";
    const file: Record<ExportFormat, () => [string, string, string]> = {
      json: () => [exportJson(shot, samples), json, ".json"],
      csv: () => [exportCsv(samples), csv, ".csv"],
      visualizer: () => [exportVisualizer(shot, samples, { name: "BrewOS", version: HUB_VERSION_TEXT }), json, ".visualizer.json"],
      "visualizer-csv": () => [exportSepCsv(shot, sampleRows(samples), profileTitleOf(shot)), csv, ".visualizer.csv"],
      beanconqueror: () => [exportBeanconqueror(shot, sampleRows(samples), profileTitleOf(shot)), json, ".beanconqueror.json"],
    };
    const [text, type, ext] = file[format]();
    c.header("content-disposition", `attachment; filename="${name}${ext}"`);
    return c.body(text, 200, { "content-type": type });
  });

  // Last: anything else under /api is a 404 in the API's shape (never the app's fallback page).
  api.all("*", (c) => apiError(c, 404, "not_found", `no route ${c.req.method} ${c.req.path}`));
  return api;
}
