import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "./db.ts";
import { MIGRATIONS } from "./migrations.ts";
import type { Sample } from "./samples-codec.ts";
import { type ShotBegin, ShotStore } from "./shot-store.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDb(): string {
  const d = mkdtempSync(join(tmpdir(), "brewos-store-"));
  dirs.push(d);
  return join(d, "hub.sqlite");
}

const begin = (at: number): ShotBegin => ({
  started_at_ms: at,
  shot_token: at % 1000,
  source: "command",
  profile_slot: 0,
  profile_json: null,
  dose_g: 18,
  target_g: 36,
});
const samples = (from: number, n: number): Sample[] =>
  Array.from({ length: n }, (_, k) => ({
    t_ms: (from + k) * 50,
    brew_cdeg: 9300,
    group_cdeg: 9100,
    pressure_mbar: 9000,
    flow_ul_s: 2000,
    volume_ul: (from + k) * 100,
    pump_pmil: 1000,
    weight_dg: 0,
    phase: 0,
  }));
const summary = {
  duration_ms: 30000,
  stop_reason: "weight",
  end_flags: ["preinfused"],
  volume_ml: 45,
  final_weight_g: 36.1,
  max_pressure_bar: 9.1,
  mean_brew_c: 93,
};

describe("shot store", () => {
  test("a shot is created, checkpointed, finished, and reads back whole; server_seq always rises", () => {
    const path = tempDb();
    const db = openDatabase(path);
    const store = new ShotStore(db);
    const id = store.begin(begin(1_790_000_000_000));
    const seq0 = store.get(id)?.server_seq ?? 0;
    store.appendSamples(id, samples(0, 20));
    store.appendSamples(id, samples(20, 20));
    const rec = store.finish(id, samples(40, 5), summary);
    expect(rec).toMatchObject({
      status: "complete",
      sample_count: 45,
      stop_reason: "weight",
      end_flags: ["preinfused"],
      final_weight_g: 36.1,
    });
    expect(rec.server_seq).toBeGreaterThan(seq0);
    expect(store.samples(id)).toEqual(samples(0, 45));
    db.close();
    const again = new ShotStore(openDatabase(path)); // reopening keeps everything and migrates nothing
    expect(again.get(id)?.sample_count).toBe(45);
  });

  test("newest first, paged by the last id seen", () => {
    const db = openDatabase(tempDb());
    const store = new ShotStore(db);
    const ids = Array.from({ length: 7 }, (_, i) => store.begin(begin(1_790_000_000_000 + i * 60_000)));
    const first = store.list(3);
    expect(first.map((s) => s.id)).toEqual(ids.slice(4).reverse());
    const second = store.list(3, first.at(-1)?.id);
    expect(second.map((s) => s.id)).toEqual(ids.slice(1, 4).reverse());
    expect(store.list(3, second.at(-1)?.id).map((s) => s.id)).toEqual(ids.slice(0, 1));
  });

  test("a shot left recording is kept and marked interrupted on the next start", () => {
    const path = tempDb();
    const db = openDatabase(path);
    const store = new ShotStore(db);
    const done = store.begin(begin(1_790_000_000_000));
    store.finish(done, samples(0, 10), summary);
    const cut = store.begin(begin(1_790_000_100_000));
    store.appendSamples(cut, samples(0, 20));
    db.close();
    const store2 = new ShotStore(openDatabase(path));
    expect(store2.markInterrupted()).toBe(1);
    expect(store2.get(cut)).toMatchObject({ status: "interrupted", sample_count: 20 });
    expect(store2.get(done)?.status).toBe("complete");
  });

  test("retention by age and by count; a recording shot is never pruned", () => {
    const now = 1_790_000_000_000;
    const store = new ShotStore(openDatabase(tempDb()), () => now);
    for (let i = 0; i < 5; i++) store.finish(store.begin(begin(now - (10 - i) * 86_400_000)), [], summary); // 10..6 days old
    for (let i = 0; i < 5; i++) store.finish(store.begin(begin(now - (5 - i) * 3_600_000)), [], summary); // hours old
    const live = store.begin(begin(now - 20 * 86_400_000));
    expect(store.prune({ keep_days: 7, keep_count: 0 })).toBe(3); // 10, 9 and 8 days old
    expect(store.prune({ keep_days: 0, keep_count: 3 })).toBe(4); // 7 and 6 days, then the two oldest of today
    expect(store.get(live)?.status).toBe("recording");
  });

  test("a file that is not a database, or from a newer hub, is refused and left alone", () => {
    const junk = tempDb();
    writeFileSync(junk, "these are not the bytes you are looking for".repeat(200));
    expect(() => openDatabase(junk)).toThrow();
    const newer = tempDb();
    const db = openDatabase(newer);
    db.exec(`PRAGMA user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openDatabase(newer)).toThrow(/update the hub/);
  });
});
