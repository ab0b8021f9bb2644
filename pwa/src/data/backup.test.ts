/** The app's own backup: export, and an import that merges by the sync rule and never loses newer data. */
import { afterEach, expect, test } from "bun:test";
import { formatHlc } from "@brewos/protocol/sync";
import Dexie from "dexie";
import { exportCsv, exportJson, importJson } from "./backup.ts";
import { type BrewosDb, type LocalShot, openDb } from "./db.ts";

const dbs: BrewosDb[] = [];
afterEach(async () => {
  for (const d of dbs.splice(0)) {
    d.close();
    await Dexie.delete(d.name);
  }
});
const fresh = (name: string) => {
  const d = openDb(name);
  dbs.push(d);
  return d;
};
const clock = (ms: number) => formatHlc({ millis: ms, counter: 0, node: "1111111111111111" });

function shot(id: string, notes: string, at: number, source = "manual"): LocalShot {
  return {
    id,
    server_seq: 0,
    status: "complete",
    source,
    started_at_ms: 1_700_000_000_000,
    duration_ms: 30_000,
    stop_reason: null,
    end_flags: [],
    profile_slot: null,
    profile_name: null,
    target_g: null,
    final_weight_g: null,
    settled_weight_g: null,
    volume_ml: null,
    max_pressure_bar: null,
    mean_brew_c: null,
    sample_count: 0,
    values: { notes, rating: 4, beans: "Kenya, washed", grind: null, dose_g: 18, yield_g: 40, deleted: false, bean_id: null },
    clocks: { notes: clock(at), rating: clock(at) },
  };
}

test("export then import elsewhere; an older file never replaces a newer edit; the hub hears of what is new", async () => {
  const a = fresh("backup-a");
  const id1 = "01890000-0000-7000-8000-000000000001";
  const id2 = "01890000-0000-7000-8000-000000000002";
  await a.shots.bulkPut([shot(id1, "old notes", 1000), shot(id2, "second", 1000)]);
  const file = JSON.stringify(await exportJson(a));
  const csv = await exportCsv(a);
  expect(csv.split("\n")[0]).toBe("started_at,duration_s,dose_g,yield_g,ratio,rating,beans,grind,notes,stop_reason,source,id");
  expect(csv).toContain('"Kenya, washed"'); // quoted when it holds a comma
  expect(csv).toContain("2.22");

  const b = fresh("backup-b");
  await b.shots.put(shot(id1, "newer notes on this phone", 5000));
  const r = await importJson(b, file);
  expect(r).toEqual({ ok: true, added: 1, updated: 0, unchanged: 1 });
  expect((await b.shots.get(id1))?.values.notes).toBe("newer notes on this phone");
  expect((await b.shots.get(id2))?.values.notes).toBe("second");
  const out = await b.outbox.toArray();
  expect(out).toHaveLength(1);
  expect(out[0]).toMatchObject({ shot_id: id2, create: { started_at_ms: 1_700_000_000_000 } }); // a hand-logged shot the hub must get
  expect(await importJson(b, file)).toEqual({ ok: true, added: 0, updated: 0, unchanged: 2 }); // importing twice changes nothing
});

test("a broken file is refused with a reason and writes nothing", async () => {
  const b = fresh("backup-c");
  expect(await importJson(b, "{nope")).toEqual({ ok: false, message: "the file is not JSON" });
  expect(await importJson(b, JSON.stringify({ format: "something else" }))).toMatchObject({ ok: false });
  expect(await importJson(b, JSON.stringify({ format: "brewos-app-shots", version: 1, shots: [{ id: "x" }] }))).toEqual({
    ok: false,
    message: "shot 1 is incomplete",
  });
  expect(await b.shots.count()).toBe(0);
});
