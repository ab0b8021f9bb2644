/**
 * Input that used to answer 500, run when it should not, or poison the store (issue: never crash,
 * never loop, never lose): every case answers a documented JSON error and changes nothing; rows
 * already damaged on disk read as empty values instead of failing reads and sync.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatBackup, parseBackup } from "../testing/backup-file.ts";
import { hubOnDisk } from "../testing/hub-on-disk.ts";
import { openSocket } from "../testing/paired-app.ts";
import { recordShot } from "../testing/shots.ts";
import { BACKUP_BODY_LIMIT_BYTES, BODY_LIMIT_BYTES } from "./app.ts";
import { MAX_MESSAGE_BYTES } from "./ws.ts";

let h: Awaited<ReturnType<typeof hubOnDisk>>;
beforeAll(async () => {
  h = await hubOnDisk();
});
afterAll(() => h?.stop());

const post = (path: string, body: string) =>
  fetch(`${h.base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });
async function answer(r: Response): Promise<string> {
  const b = (await r.json()) as { error?: { code: string } };
  return `${r.status} ${b.error?.code ?? "ok"}`;
}

describe("backups that would have poisoned the store", () => {
  test("non-JSON end_flags, field_clocks or profile_json, and over-long notes are refused naming the place; nothing is written", async () => {
    const good = parseBackup(await (await fetch(`${h.base}/api/backup`)).text());
    recordShot(h.hub.shots, { shot_token: 7 });
    const backup = parseBackup(await (await fetch(`${h.base}/api/backup`)).text());
    const before = h.hub.shots.list(500).length;
    const shot = backup.shots[0] as Record<string, unknown>;
    const other = { ...shot, id: "01900000-0000-7000-8000-000000000001" };
    for (const [field, value] of [
      ["end_flags", "not json"],
      ["end_flags", '{"a":1}'],
      ["field_clocks", "]["],
      ["profile_json", "[1,2"],
      ["notes", "x".repeat(4001)],
    ] as const) {
      const r = await post("/api/backup", formatBackup({ ...backup, shots: [{ ...other, [field]: value }], end: { shots: 1 } }));
      const e = ((await r.clone().json()) as { error: { message: string } }).error;
      expect(`${field}: ${await answer(r)}`).toBe(`${field}: 400 invalid_backup`);
      expect(e.message).toContain(field);
    }
    expect(h.hub.shots.list(500).length).toBe(before);
    expect(good.shots.length).toBe(before - 1);
  });

  test("a row damaged on disk: /api/shots answers, and a phone's sync pull still works", async () => {
    const id = recordShot(h.hub.shots, { shot_token: 8 });
    h.hub.db.query("UPDATE shots SET end_flags = 'garbage', field_clocks = '{{', profile_json = 'nope' WHERE id = $id").run({ id });
    const r = await fetch(`${h.base}/api/shots?limit=500`);
    expect(r.status).toBe(200);
    const listed = ((await r.json()) as { shots: { id: string; end_flags: string[] }[] }).shots.find((s) => s.id === id);
    expect(listed?.end_flags).toEqual([]);
    expect((await fetch(`${h.base}/api/shots/${id}`)).status).toBe(200);
    const s = openSocket(h.base);
    await s.next("snapshot");
    s.ws.send(JSON.stringify({ type: "sync_hello", v: 1, node_id: "3333333333333333", schema_version: 1, cursor: 0 }));
    await s.next("sync_welcome");
    s.ws.send(JSON.stringify({ type: "sync_pull", v: 1, since: 0, limit: 500 }));
    const page = (await s.next("sync_changes")) as { rows: { id: string }[] };
    expect(page.rows.some((x) => x.id === id)).toBe(true);
    s.ws.close();
    expect((await fetch(`${h.base}/api/health`)).status).toBe(200);
  });
});

describe("answers that used to be 500 or wrong", () => {
  test("backup bodies that are not backups: 400 invalid_backup", async () => {
    for (const body of ['{"settings":{}}', '{"settings":"x"}', "[]", "1", '{"settings":{"hub":[],"controller":{}}}'])
      expect(`${body} ${await answer(await post("/api/backup", body))}`).toBe(`${body} 400 invalid_backup`);
  });

  test("a broken %-escape in an address: 400 invalid_query (the app's files), never 500", async () => {
    const dir = mkdtempSync(join(tmpdir(), "brewos-app-"));
    writeFileSync(join(dir, "index.html"), "<!doctype html><title>app</title>");
    const site = await hubOnDisk({ appDir: dir });
    try {
      for (const path of ["/%E0%A4%A", "/assets/%zz.js", "/display%"])
        expect(`${path} ${await answer(await fetch(`${site.base}${path}`))}`).toBe(`${path} 400 invalid_query`);
      expect(await answer(await fetch(`${site.base}/api/shots?limit=%E0%A4%A`))).toBe("400 invalid_query");
    } finally {
      await site.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a /ws command whose id is an object is refused, not run", async () => {
    const s = openSocket(h.base);
    await s.next("snapshot");
    const before = JSON.stringify(h.hub.control.current());
    s.ws.send(JSON.stringify({ type: "command", id: { x: 1 }, command: { type: "set_mode", mode: "brew" } }));
    const e = await s.next("error");
    expect(e).toMatchObject({ code: "invalid_message", id: null });
    expect(JSON.stringify(h.hub.control.current())).toBe(before);
    s.ws.close();
  });

  test("bodies over their limit: 413 too_large as JSON (not an empty body)", async () => {
    const big = JSON.stringify({ hub: { machine_name: "x".repeat(BODY_LIMIT_BYTES) } });
    const r = await fetch(`${h.base}/api/settings`, { method: "PATCH", headers: { "content-type": "application/json" }, body: big });
    expect(await answer(r)).toBe("413 too_large");
  });

  test("the documented limits are the constants in the code", () => {
    const docs = (f: string) => readFileSync(join(import.meta.dir, "..", "..", "..", "docs", "api", f), "utf8");
    expect(docs("websocket.md")).toContain(`${MAX_MESSAGE_BYTES} bytes`);
    expect(docs("errors.md")).toContain(`${MAX_MESSAGE_BYTES} bytes`);
    expect(docs("rest.md")).toContain(`${BODY_LIMIT_BYTES} bytes`);
    expect(docs("rest.md")).toContain(`${BACKUP_BODY_LIMIT_BYTES} bytes`);
  });
});
