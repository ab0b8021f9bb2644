/**
 * A full disk (SQLite's own SQLITE_FULL, made by capping the database's page count after filling
 * its free pages — the write path is the real one): the machine keeps brewing and the link stays
 * up; the shot waits in memory; /api/health, REST and /ws say storage_full; nothing crashes; when
 * space returns the shot is written whole and announced.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { hubOnSim } from "../testing/hub-on-disk.ts";
import { openSocket } from "../testing/paired-app.ts";
import { recordShot } from "../testing/shots.ts";

let h: Awaited<ReturnType<typeof hubOnSim>>;
beforeAll(async () => {
  h = await hubOnSim("dual_boiler", { speed: 50 });
}, 20_000);
afterAll(() => h?.stop());

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}

function fillTheDisk(db = h.hub.db): void {
  const pages = (db.query("PRAGMA page_count").get() as { page_count: number }).page_count;
  db.exec(`PRAGMA max_page_count = ${pages + 1}`);
  db.exec("CREATE TABLE IF NOT EXISTS ballast (b BLOB)");
  try {
    for (let i = 0; i < 100_000; i++) db.query("INSERT INTO ballast VALUES (?)").run(new Uint8Array(1024));
  } catch (e) {
    expect((e as { code: string }).code).toBe("SQLITE_FULL");
  }
}

test("disk full during a shot: brewing goes on, the shot waits in memory, errors are storage_full; space back → the shot is recorded", async () => {
  await h.hub.control.run({ type: "set_mode", mode: "brew" });
  await until("ready", () => h.hub.model.snapshot().ready);
  const earlier = recordShot(h.hub.shots, { shot_token: 900, started_at_ms: Date.now() - 3_600_000 });
  const shotsBefore = h.hub.shots.list(500).length;
  fillTheDisk();
  const ws = openSocket(h.base);
  await ws.next("snapshot");
  const r = await h.hub.control.run({ type: "start_shot", profile_slot: 0, require_scale: false, stop_time_s: 25 });
  expect(r).toMatchObject({ ok: true });
  await until("the shot to start", () => h.hub.model.brewing);
  await until("the shot to end", () => !h.hub.model.brewing);
  await until("the shot to wait", () => h.hub.recorder.waitingCount === 1, 5000);
  expect(h.hub.link.health().state).toBe("up");
  const health = (await (await fetch(`${h.base}/api/health`)).json()) as {
    status: string;
    storage: { state: string; shots_waiting: number };
  };
  expect(health.storage).toMatchObject({ state: "full", shots_waiting: 1 });
  expect(health.status).toBe("degraded");
  const complete = () => h.hub.shots.list(500).filter((x) => x.status === "complete");
  expect(complete().length).toBe(shotsBefore);
  // An edit that needs space is refused with the reason (507 storage_full), not a crash; nothing changes.
  const edit = await fetch(`${h.base}/api/shots/${earlier}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ notes: "n".repeat(4000) }),
  });
  expect(edit.status).toBe(507);
  expect(((await edit.json()) as { error: { code: string } }).error.code).toBe("storage_full");
  expect(h.hub.shots.get(earlier)?.notes ?? null).toBeNull();
  // The machine still obeys.
  expect(await h.hub.control.run({ type: "set_mode", mode: "standby" })).toMatchObject({ ok: true });
  // Space returns: the next checkpoint writes the shot whole and announces it.
  h.hub.db.exec("PRAGMA max_page_count = 1073741823");
  await ws.next("shot_recorded", 5000);
  const after = complete();
  expect(after.length).toBe(shotsBefore + 1);
  expect(after[0]?.sample_count).toBeGreaterThan(10);
  expect(after[0]?.status).toBe("complete");
  const healed = (await (await fetch(`${h.base}/api/health`)).json()) as { storage: { state: string; shots_waiting: number } };
  expect(healed.storage).toMatchObject({ state: "ok", shots_waiting: 0 });
  ws.ws.close();
}, 60_000);

test("with retention.make_room_when_full on, the oldest shots go to make room and the new shot is recorded", async () => {
  const { addBenchShot } = await import("../../../bench/hub/shot-samples.ts");
  const h = await hubOnSim("dual_boiler", { speed: 50 });
  try {
    const patch = await fetch(`${h.base}/api/settings`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ hub: { retention: { make_room_when_full: true } } }),
    });
    expect(patch.status).toBe(200);
    const old: string[] = [];
    for (let k = 0; k < 60; k++) {
      const id = addBenchShot(h.hub.shots, 1000 + k, Date.UTC(2020, 0, 1) + k * 60_000);
      old.push(id);
    }
    fillTheDisk(h.hub.db);
    const ws = openSocket(h.base);
    await ws.next("snapshot");
    await h.hub.control.run({ type: "set_mode", mode: "brew" });
    await until("ready", () => h.hub.model.snapshot().ready);
    expect(await h.hub.control.run({ type: "start_shot", profile_slot: 0, require_scale: false, stop_time_s: 25 })).toMatchObject({
      ok: true,
    });
    await until("the shot to start", () => h.hub.model.brewing);
    await until("the shot to end", () => !h.hub.model.brewing);
    await ws.next("shot_recorded", 10_000);
    const left = new Set(h.hub.shots.list(500).map((s) => s.id));
    expect(old.filter((id) => !left.has(id)).length).toBeGreaterThanOrEqual(50); // the oldest went
    expect(h.hub.recorder.waitingCount).toBe(0);
    ws.ws.close();
  } finally {
    await h.stop();
  }
}, 60_000);
