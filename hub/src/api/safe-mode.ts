/**
 * @module Safe mode (docs/api/rest.md#safe-mode): the database could not be opened, so the hub
 * runs on an empty one in memory — the machine stays controllable — and offers the owner three
 * ways out: download what can still be read from the damaged file, move it aside and start fresh
 * (a restart), then restore a backup as usual. Nothing touches the file without the owner asking.
 */
import { Database } from "bun:sqlite";
import { existsSync, renameSync } from "node:fs";
import { Hono } from "hono";
import { backupStream } from "../store/backup-stream.ts";
import { apiError } from "./errors.ts";
import { longRequest } from "./long-request.ts";

export interface SafeModeDeps {
  safeMode: { reason: string; file: string } | null;
  /** Settings as the backup header carries them. */
  settingsView: () => { hub: Record<string, unknown>; controller: Record<string, number> };
  /** Restart the hub (after the damaged file was moved aside). */
  restart?: () => void;
}

export function safeModeRoutes(d: SafeModeDeps): Hono {
  const api = new Hono();
  api.get("/safe-mode", (c) => c.json({ active: d.safeMode !== null, ...(d.safeMode ?? {}) }));

  api.get("/safe-mode/export", (c) => {
    if (!d.safeMode) return apiError(c, 409, "not_in_safe_mode", "the hub is not in safe mode; use GET /api/backup");
    longRequest(c);
    let db: Database;
    try {
      db = new Database(d.safeMode.file, { readonly: true, strict: true });
    } catch (e) {
      return apiError(c, 409, "unreadable", `nothing can be read from ${d.safeMode.file}: ${(e as Error).message}`);
    }
    let stream: ReadableStream<Uint8Array>;
    try {
      stream = backupStream(db, d.settingsView(), () => db.close(), true);
    } catch (e) {
      db.close();
      return apiError(c, 409, "unreadable", `the shots in ${d.safeMode.file} cannot be read: ${(e as Error).message}`);
    }
    c.header("content-disposition", `attachment; filename="brewos-readable-${new Date().toISOString().slice(0, 10)}.ndjson"`);
    return c.body(stream, 200, { "content-type": "application/x-ndjson" });
  });

  api.post("/safe-mode/start-fresh", async (c) => {
    if (!d.safeMode) return apiError(c, 409, "not_in_safe_mode", "the hub is not in safe mode");
    const body = (await c.req.json().catch(() => null)) as { confirm?: unknown } | null;
    if (body?.confirm !== "move_aside") {
      return apiError(
        c,
        400,
        "confirm_required",
        'send {"confirm": "move_aside"}: the damaged database is moved aside (kept) and the hub restarts with a new, empty one',
      );
    }
    const aside = `${d.safeMode.file}.damaged-${Date.now()}`;
    for (const suffix of ["", "-wal", "-shm"])
      if (existsSync(d.safeMode.file + suffix)) renameSync(d.safeMode.file + suffix, aside + suffix);
    setTimeout(() => d.restart?.(), 100);
    return c.json({ ok: true, moved_to: aside, restarting: d.restart !== undefined });
  });
  return api;
}
