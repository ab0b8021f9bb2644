/**
 * The bean library through sync, on the real SyncService and SQLite (in memory, the on-disk
 * migrations): a bean made on one phone reaches another; two phones editing it offline keep the
 * newer value per field; pages never skip a bean; a shot names its bean; a backup carries the
 * library and an import merges it by clock; bad values are refused by the schema.
 */
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { formatHlc, Hlc, uuidv7 } from "@brewos/protocol/sync";
import { SyncClientMessage } from "@brewos/protocol/sync/messages";
import { Backup, writeExtras } from "../store/backup.ts";
import { MIGRATIONS } from "../store/migrations.ts";
import { ShotStore } from "../store/shot-store.ts";
import { recordShot } from "../testing/shots.ts";
import { SyncService } from "./sync-service.ts";

function hub() {
  const db = new Database(":memory:", { strict: true });
  for (const m of MIGRATIONS) db.exec(m);
  const now = () => 1_700_000_000_000;
  const shots = new ShotStore(db, now);
  return { db, shots, sync: new SyncService(db, shots, new Hlc("0000aaaaaaaaaaaa", null, now), "aaaaaaaaaaaa", now) };
}
const clock = (ms: number, node: string) => formatHlc({ millis: ms, counter: 0, node });
const A = "00000000000000a1";
const B = "00000000000000b2";

describe("the bean library syncs like shots", () => {
  test("made on one phone, seen on another; concurrent edits keep the newer value per field", () => {
    const { sync } = hub();
    const bean = uuidv7();
    sync.hello(A, 1, 0);
    const made = sync.push(A, [
      {
        mutation_id: 1,
        bean_id: bean,
        bean: {
          name: ["Kenya AA", clock(1000, A)],
          roaster: ["Square Mile", clock(1000, A)],
          roast_date: ["2026-11-20", clock(1000, A)],
          grind_setting: ["12", clock(1000, A)],
        },
      },
    ]);
    expect(made.changed).toBe(true);
    const seen = sync.pull(0, 100);
    expect(seen).toMatchObject({ type: "sync_changes", beans: [{ id: bean, values: { name: "Kenya AA", roast_date: "2026-11-20" } }] });
    // Offline on both: B renames later, A changes the grind setting.
    sync.push(B, [{ mutation_id: 1, bean_id: bean, bean: { name: ["Kenya AA Kiambu", clock(3000, B)] } }]);
    sync.push(A, [{ mutation_id: 2, bean_id: bean, bean: { name: ["Kenya", clock(2000, A)], grind_setting: ["11", clock(2000, A)] } }]);
    expect(sync.beans.get(bean)?.values).toMatchObject({ name: "Kenya AA Kiambu", grind_setting: "11", roaster: "Square Mile" });
    // The same push again changes nothing (an ack lost on the way).
    expect(sync.push(A, [{ mutation_id: 2, bean_id: bean, bean: { name: ["Kenya", clock(2000, A)] } }]).changed).toBe(false);
  });

  test("a page of shots carries the beans up to its cursor, the last page the rest: nothing is skipped", () => {
    const { sync, shots } = hub();
    for (let i = 0; i < 3; i++) recordShot(shots, { started_at_ms: 1000 + i, shot_token: i + 1 });
    const early = uuidv7();
    sync.push(A, [{ mutation_id: 1, bean_id: early, bean: { name: ["early", clock(1000, A)] } }]);
    for (let i = 3; i < 6; i++) recordShot(shots, { started_at_ms: 1000 + i, shot_token: i + 1 });
    const late = uuidv7();
    sync.push(A, [{ mutation_id: 2, bean_id: late, bean: { name: ["late", clock(1001, A)] } }]);
    const got: string[] = [];
    let cursor = 0;
    for (let more = true; more; ) {
      const page = sync.pull(cursor, 2);
      if (page.type !== "sync_changes") throw new Error(page.type);
      got.push(...(page.beans ?? []).map((b) => b.values.name as string));
      cursor = page.cursor;
      more = page.has_more;
    }
    expect(got).toEqual(["early", "late"]);
    expect(sync.pull(cursor, 2)).toMatchObject({ rows: [], cursor });
  });

  test("a shot names the bean it was pulled with", () => {
    const { sync, shots } = hub();
    const shot = recordShot(shots, { started_at_ms: 1000, shot_token: 1 });
    const bean = uuidv7();
    sync.push(A, [
      { mutation_id: 1, bean_id: bean, bean: { name: ["Kenya AA", clock(1000, A)] } },
      { mutation_id: 2, shot_id: shot, fields: { bean_id: [bean, clock(1000, A)], beans: ["Kenya AA", clock(1000, A)] } },
    ]);
    const page = sync.pull(0, 10);
    expect(page).toMatchObject({ rows: [{ id: shot, values: { bean_id: bean, beans: "Kenya AA" } }] });
  });

  test("bad bean values are refused by the schema before they reach the hub", () => {
    const push = (bean: Record<string, unknown>) =>
      SyncClientMessage.safeParse({ type: "sync_push", v: 1, mutations: [{ mutation_id: 1, bean_id: uuidv7(), bean }] }).success;
    expect(push({ name: ["Kenya", clock(1, A)] })).toBe(true);
    expect(push({ roast_date: ["last tuesday", clock(1, A)] })).toBe(false);
    expect(push({ name: ["x".repeat(121), clock(1, A)] })).toBe(false);
    expect(push({ colour: ["brown", clock(1, A)] })).toBe(false);
  });

  test("a backup carries the library; importing it merges by clock (a newer edit at home is kept)", () => {
    const { db, sync } = hub();
    const bean = uuidv7();
    sync.push(A, [
      { mutation_id: 1, bean_id: bean, bean: { name: ["at home, newer", clock(5000, A)], origin: ["Kenya", clock(1000, A)] } },
    ]);
    const backup = Backup.shape.beans.parse([
      { id: bean, values: { name: "from the backup", origin: "Ethiopia" }, clocks: { name: clock(4000, B), origin: clock(2000, B) } },
      { id: uuidv7(), values: { name: "only in the backup" }, clocks: { name: clock(1000, B) } },
    ]);
    let seq = 1000;
    db.transaction(() => writeExtras(db, { profiles: [], maintenance: [], energy_days: [], beans: backup }, () => ++seq))();
    expect(sync.beans.get(bean)?.values).toMatchObject({ name: "at home, newer", origin: "Ethiopia" });
    expect(
      sync.beans
        .all()
        .map((b) => b.values.name)
        .sort(),
    ).toEqual(["at home, newer", "only in the backup"]);
    expect(Backup.shape.beans.safeParse([{ id: bean, values: { roast_date: "soon" }, clocks: {} }]).success).toBe(false);
  });
});
