/**
 * This install's sync engine on Dexie (fake-indexeddb) against the hub's real SyncService on
 * SQLite, joined by an in-memory pipe: offline logging is durable at once, pushes and pulls
 * converge, a pending local edit survives an older value from the hub, a reset keeps the outbox.
 * Also: the v1 → v2 database upgrade keeps cached shots.
 */
import { Database } from "bun:sqlite";
import { afterEach, expect, test } from "bun:test";
import type { ShotRecord } from "@brewos/protocol/api";
import { Hlc, type SyncServerMessage } from "@brewos/protocol/sync";
import Dexie from "dexie";
import { MIGRATIONS } from "../../../hub/src/store/migrations.ts";
import { ShotStore } from "../../../hub/src/store/shot-store.ts";
import { SyncService } from "../../../hub/src/sync/sync-service.ts";
import { recordShot } from "../../../hub/src/testing/shots.ts";
import { eventually } from "../testing/eventually.ts";
import { type BrewosDb, openDb } from "./db.ts";
import { SyncEngine } from "./sync-engine.ts";

const opened: BrewosDb[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) {
    d.close();
    await Dexie.delete(d.name);
  }
});

function hub() {
  const sql = new Database(":memory:", { strict: true });
  for (const m of MIGRATIONS) sql.exec(m);
  const clock = new Hlc("0000aaaaaaaaaaaa");
  const shots = new ShotStore(sql);
  return { sql, shots, sync: new SyncService(sql, shots, clock, "aaaaaaaaaaaa") };
}

/** A phone joined to the hub by a pipe that can be cut. */
function phone(name: string, h: ReturnType<typeof hub>) {
  const db = openDb(name);
  opened.push(db);
  let up = false;
  let node = "";
  const engine: SyncEngine = new SyncEngine(db, (m) => {
    if (!up) return false;
    const msg = m as {
      type: string;
      node_id?: string;
      schema_version?: number;
      cursor?: number;
      mutations?: never[];
      since?: number;
      limit?: number;
    };
    let answer: SyncServerMessage;
    if (msg.type === "sync_hello") {
      node = msg.node_id as string;
      answer = h.sync.hello(node, msg.schema_version as number, msg.cursor as number);
    } else if (msg.type === "sync_push") answer = h.sync.push(node, msg.mutations as never[]).ack;
    else answer = h.sync.pull(msg.since as number, msg.limit as number);
    queueMicrotask(() => void engine.handle(answer));
    return true;
  });
  return {
    db,
    engine,
    connect: async () => {
      up = true;
      await engine.connectedToHub();
    },
    disconnect: () => {
      up = false;
      engine.disconnected();
    },
  };
}

/** Wait until the outbox has drained (every edit pushed and acknowledged). */
async function settle(db: BrewosDb): Promise<void> {
  await eventually(async () => expect(await db.outbox.count()).toBe(0));
}

test("a shot logged offline is on the device at once, reaches the hub, and comes back to another phone", async () => {
  const h = hub();
  const a = phone("sync-a", h);
  const b = phone("sync-b", h);
  // Timed with the phone's scale: its weight curve goes with it.
  const weight_curve = { t_s: [0, 10, 20, 31], g: [0, 6.5, 24.1, 40] };
  const id = await a.engine.logManual(
    { started_at_ms: Date.now() - 3_600_000, duration_ms: 31_000, weight_curve },
    { dose_g: 18, yield_g: 40, notes: "café, borrowed scale", rating: 4 },
  );
  expect((await a.db.shots.get(id))?.weight_curve).toEqual(weight_curve);
  // Durable now: a fresh handle on the same database (a reload) sees it and its outbox entry.
  const reopened = openDb("sync-a");
  expect((await reopened.shots.get(id))?.values).toMatchObject({ notes: "café, borrowed scale", yield_g: 40 });
  expect(await reopened.outbox.count()).toBe(1);
  reopened.close();

  await a.connect();
  await settle(a.db);
  expect(h.shots.get(id)).toMatchObject({ source: "manual", notes: "café, borrowed scale", dose_g: 18, yield_g: 40, rating: 4 });
  await b.connect();
  await eventually(async () => expect((await b.db.shots.get(id))?.values).toMatchObject({ notes: "café, borrowed scale", rating: 4 }));
  expect((await b.db.shots.get(id))?.weight_curve).toEqual(weight_curve);
});

test("a machine shot edited on the hub reaches the phone; a newer edit still in the outbox survives the older hub value", async () => {
  const h = hub();
  const id = recordShot(h.shots, { started_at_ms: Date.now() - 60_000, shot_token: 1 });
  const a = phone("sync-c", h);
  await a.connect();
  await eventually(async () => expect((await a.db.shots.get(id))?.values.dose_g).toBe(18)); // the machine's dose, never edited
  h.sync.editLocal(id, { notes: "from the hub" });
  a.disconnect();
  await Bun.sleep(2);
  await a.engine.edit(id, { notes: "from the phone, later" }); // offline, newer
  await a.connect(); // pushes first, then pulls the hub's older value: the phone's stays
  await settle(a.db);
  await eventually(async () => {
    expect((await a.db.shots.get(id))?.values.notes).toBe("from the phone, later");
    expect(h.shots.get(id)?.notes).toBe("from the phone, later");
  });
});

test("a reset from the hub clears the rows but keeps unsent edits", async () => {
  const h = hub();
  const a = phone("sync-d", h);
  const id = await a.engine.logManual({ started_at_ms: Date.now(), duration_ms: null }, { notes: "keep me" });
  await a.db.meta.put({ key: "cursor", value: 5 });
  h.sql.query("UPDATE meta SET value = '10' WHERE key = 'tombstone_horizon_seq'").run();
  await a.connect(); // cursor 5 < horizon 10: reset, then push and pull
  await settle(a.db);
  await eventually(async () => {
    expect(h.shots.get(id)?.notes).toBe("keep me");
    expect((await a.db.shots.get(id))?.values.notes).toBe("keep me");
  });
});

test("the v1 cache upgrades to v2 with its shots kept (clocks empty until the first pull)", async () => {
  const name = "sync-upgrade";
  const v1 = new Dexie(name);
  v1.version(1).stores({ shots: "id, started_at_ms, server_seq", samples: "shot_id" });
  const rec = {
    id: "01890000-0000-7000-8000-000000000001",
    server_seq: 3,
    status: "complete",
    started_at_ms: 1,
    shot_token: 1,
    source: "command",
    profile_slot: 0,
    profile_json: null,
    dose_g: 18,
    target_g: 36,
    duration_ms: 28000,
    stop_reason: "weight",
    end_flags: [],
    volume_ml: 45,
    final_weight_g: 36,
    max_pressure_bar: 9,
    mean_brew_c: 93,
    settled_weight_g: null,
    yield_g: null,
    sample_count: 10,
    rating: 3,
    notes: "old",
    beans: null,
    grind: null,
    updated_at_ms: 1,
  } satisfies ShotRecord;
  await v1.table("shots").put(rec);
  v1.close();
  const v2 = openDb(name);
  opened.push(v2);
  const row = await v2.shots.get(rec.id);
  expect(row).toMatchObject({
    id: rec.id,
    final_weight_g: 36,
    values: { notes: "old", rating: 3, dose_g: 18, deleted: false },
    clocks: {},
  });
  expect(await v2.outbox.count()).toBe(0);
});

test("a bean added offline is on the phone at once, reaches the hub and another phone; a shot names it; the grind setting is remembered", async () => {
  const h = hub();
  const a = phone("sync-beans-a", h);
  const b = phone("sync-beans-b", h);
  const bean = await a.engine.editBean(null, { name: "Kenya AA", roaster: "Square Mile", roast_date: "2026-11-20" });
  expect((await a.db.beans.get(bean))?.values).toMatchObject({ name: "Kenya AA", deleted: false });
  expect(await a.db.outbox.count()).toBe(1);
  const shot = recordShot(h.shots, { started_at_ms: Date.now() - 60_000, shot_token: 2 });
  await a.connect();
  await settle(a.db);
  expect(h.sync.beans.get(bean)?.values).toMatchObject({ name: "Kenya AA", roaster: "Square Mile" });
  await eventually(async () => expect(await a.db.shots.get(shot)).toBeTruthy());
  await a.engine.edit(shot, { bean_id: bean, beans: "Kenya AA · Square Mile", grind: "12" });
  await a.engine.editBean(bean, { grind_setting: "12" });
  await settle(a.db);
  await b.connect();
  await eventually(async () => {
    expect((await b.db.beans.get(bean))?.values).toMatchObject({ name: "Kenya AA", grind_setting: "12" });
    expect((await b.db.shots.get(shot))?.values).toMatchObject({ bean_id: bean, grind: "12" });
  });
  // Removed on B: gone on A too (a tombstone, like a deleted shot).
  await b.engine.editBean(bean, { deleted: true });
  await settle(b.db);
  a.disconnect();
  await a.connect();
  await eventually(async () => expect((await a.db.beans.get(bean))?.values.deleted).toBe(true));
});
