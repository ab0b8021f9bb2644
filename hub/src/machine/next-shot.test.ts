/**
 * The next shot's recipe on a real hub (SQLite on disk, no machine): set over REST, pushed to every
 * /ws client, kept across a restart, bad values refused with the field named and nothing changed.
 */

import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hubOnDisk } from "../testing/hub-on-disk.ts";
import { DEFAULT_NEXT_SHOT, NextShotRecipe, startCommand } from "./next-shot.ts";

const dir = mkdtempSync(join(tmpdir(), "brewos-next-shot-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const put = (base: string, body: unknown) =>
  fetch(`${base}/api/next-shot`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("the next shot's recipe", () => {
  test("set over REST, pushed on /ws, kept across a restart; bad values refused and nothing lost", async () => {
    const a = await hubOnDisk({ dataDir: dir });
    try {
      expect(await (await fetch(`${a.base}/api/next-shot`)).json()).toEqual(DEFAULT_NEXT_SHOT);
      const ws = new WebSocket(`${a.base.replace("http", "ws")}/ws`);
      const pushed: Record<string, unknown>[] = [];
      ws.addEventListener("message", (e) => {
        const m = JSON.parse(String(e.data));
        if (m.type === "next_shot") pushed.push(m.next_shot);
      });
      const deadline = Date.now() + 3000;
      while (pushed.length < 1 && Date.now() < deadline) await Bun.sleep(10);
      expect(pushed[0]).toMatchObject({ dose_g: 18, target_g: 36 }); // sent on connect

      const ok = await put(a.base, { profile_id: "classic-9bar", dose_g: 19.5, target_g: 42, stop_time_s: 40 });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ profile_id: "classic-9bar", dose_g: 19.5, target_g: 42, stop_time_s: 40, updated_by: "app" });
      while (pushed.length < 2 && Date.now() < deadline + 3000) await Bun.sleep(10);
      expect(pushed[1]).toMatchObject({ target_g: 42 });

      for (const [body, field] of [
        [{ dose_g: 900 }, "dose_g"],
        [{ target_g: 0.01 }, "target_g"],
        [{ stop_time_s: 1e-300 }, "stop_time_s"],
        [{ profile_id: "espresso-martini" }, "profile_id"],
        [{ colour: "red" }, "(next shot)"],
      ] as const) {
        const bad = await put(a.base, body);
        expect(bad.status).toBe(400);
        const error = ((await bad.json()) as { error: { code: string; issues: { path: string }[] } }).error;
        expect(error.code).toBe("invalid_next_shot");
        expect(error.issues[0]?.path).toBe(field);
      }
      const notJson = await fetch(`${a.base}/api/next-shot`, { method: "PUT", body: "{", headers: { "content-type": "application/json" } });
      expect(notJson.status).toBe(400);
      // A stop cleared with null; the rest stays.
      expect(await (await put(a.base, { stop_time_s: null })).json()).toMatchObject({ stop_time_s: null, target_g: 42 });
      ws.close();
    } finally {
      await a.stop();
    }
    const b = await hubOnDisk({ dataDir: dir });
    try {
      expect(await (await fetch(`${b.base}/api/next-shot`)).json()).toMatchObject({
        profile_id: "classic-9bar",
        dose_g: 19.5,
        target_g: 42,
      });
    } finally {
      await b.stop();
    }
  });

  test("a damaged stored recipe reads as the default; start_shot carries only the stops it has", () => {
    const db = new Database(":memory:");
    db.run("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    db.run("INSERT INTO meta VALUES ('next_shot', '{\"dose_g\": \"lots\"')");
    expect(new NextShotRecipe(db, () => true).get()).toEqual(DEFAULT_NEXT_SHOT);
    expect(startCommand({ ...DEFAULT_NEXT_SHOT, target_g: null })).toEqual({ type: "start_shot", dose_g: 18, require_scale: false });
    expect(startCommand({ ...DEFAULT_NEXT_SHOT, profile_id: "turbo", stop_time_s: 30 })).toEqual({
      type: "start_shot",
      profile_id: "turbo",
      dose_g: 18,
      target_g: 36,
      stop_time_s: 30,
      require_scale: false,
    });
  });
});
