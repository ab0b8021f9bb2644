/**
 * Safe mode: a database that cannot be opened (not a database; from a newer hub) never stops
 * the hub. It runs on an empty database in memory, keeps the file untouched, says why in
 * /api/health, lets the owner download what is readable, and moves the file aside only when asked.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseBackup } from "../testing/backup-file.ts";
import { hubOnDisk } from "../testing/hub-on-disk.ts";
import { recordShot } from "../testing/shots.ts";

const dirs: string[] = [];
const folder = () => {
  const d = mkdtempSync(join(tmpdir(), "brewos-safe-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("safe mode", () => {
  test("a file that is not a database: the hub comes up, says why, keeps the file; start fresh moves it aside on request and restarts", async () => {
    const d = folder();
    writeFileSync(join(d, "hub.sqlite"), "this is not a database, it is a shopping list");
    let restarts = 0;
    const h = await hubOnDisk({ dataDir: d, restart: () => restarts++ });
    try {
      expect(h.hub.safeMode?.reason).toBeTruthy();
      const health = (await (await fetch(`${h.base}/api/health`)).json()) as {
        status: string;
        safe_mode: { reason: string; file: string };
      };
      expect(health.status).toBe("degraded");
      expect(health.safe_mode.file).toBe(join(d, "hub.sqlite"));
      expect((await fetch(`${h.base}/api/state`)).status).toBe(200);
      expect(readFileSync(join(d, "hub.sqlite"), "utf8")).toContain("shopping list"); // untouched
      const post = (body: unknown) =>
        fetch(`${h.base}/api/safe-mode/start-fresh`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      expect((await post({})).status).toBe(400);
      expect(existsSync(join(d, "hub.sqlite"))).toBe(true);
      const r = (await (await post({ confirm: "move_aside" })).json()) as { moved_to: string; restarting: boolean };
      expect(r.restarting).toBe(true);
      expect(readFileSync(r.moved_to, "utf8")).toContain("shopping list");
      await Bun.sleep(200);
      expect(restarts).toBe(1);
    } finally {
      await h.stop();
    }
    const again = await hubOnDisk({ dataDir: d });
    try {
      expect(again.hub.safeMode).toBeNull();
      expect(readdirSync(d).some((f) => f.startsWith("hub.sqlite.damaged-"))).toBe(true);
    } finally {
      await again.stop();
    }
  });

  test("a database from a newer hub: what is readable downloads as a backup another hub restores", async () => {
    const d = folder();
    const a = await hubOnDisk({ dataDir: d });
    const ids = [
      recordShot(a.hub.shots, { shot_token: 1 }),
      recordShot(a.hub.shots, { shot_token: 2, started_at_ms: Date.now() - 30_000 }),
    ];
    a.hub.db.exec("PRAGMA user_version = 999");
    await a.stop();
    const b = await hubOnDisk({ dataDir: d });
    const c = await hubOnDisk();
    try {
      expect(b.hub.safeMode?.reason).toContain("schema 999");
      const text = await (await fetch(`${b.base}/api/safe-mode/export`)).text();
      const backup = parseBackup(text);
      expect(backup.shots.map((s) => s.id).sort()).toEqual([...ids].sort());
      expect(backup.end).toEqual({ shots: 2 });
      const r = await fetch(`${c.base}/api/backup`, { method: "POST", headers: { "content-type": "application/x-ndjson" }, body: text });
      expect(await r.json()).toMatchObject({ ok: true, shots_added: 2 });
    } finally {
      await b.stop();
      await c.stop();
    }
  });
});
