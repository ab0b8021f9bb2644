/**
 * Sync between phones and the hub: scenario tests and a property test, the hub side being the real
 * SyncService on SQLite (in memory; the same migrations as on disk), phones modelled by
 * testing/phone.ts with the shared clock and merge rule.
 * The property test: 3 phones and the hub, random edits, deletes, undeletes, manual shots, hub-side
 * edits and new machine shots, with pushes dropped, duplicated, reordered and acks lost; after a
 * final sync every phone equals the hub. SYNC_RUNS (default 1000) and SYNC_SEED replay a run.
 */
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { type EditableField, formatHlc, Hlc, type SyncServerMessage, uuidv7 } from "@brewos/protocol/sync";
import fc from "fast-check";
import { MIGRATIONS } from "../store/migrations.ts";
import { ShotStore } from "../store/shot-store.ts";
import { recordShot } from "../testing/shots.ts";
import { SyncService } from "./sync-service.ts";
import { Phone } from "./testing/phone.ts";

const HUB_NODE = "0000aaaaaaaaaaaa";

function hubAt(now: () => number) {
  const db = new Database(":memory:", { strict: true });
  for (const m of MIGRATIONS) db.exec(m);
  const clock = new Hlc(HUB_NODE, null, now);
  const shots = new ShotStore(db, now);
  return { db, shots, sync: new SyncService(db, shots, clock, "aaaaaaaaaaaa", now) };
}

function machineShot(shots: ShotStore, at: number): string {
  const id = recordShot(shots, { started_at_ms: at, shot_token: at % 100000 });
  return id;
}

/** Push everything, then pull everything (one phone, a perfect network). */
function syncFully(p: Phone, sync: SyncService): void {
  const hello = sync.hello(p.node, 1, p.cursor);
  if (hello.type === "sync_reset") p.reset();
  for (let guard = 0; p.outbox.length > 0 && guard < 100; guard++) p.onAck(sync.push(p.node, p.pushBatch()).ack);
  for (let guard = 0; guard < 100; guard++) {
    const c = sync.pull(p.cursor, 50) as Extract<SyncServerMessage, { type: "sync_changes" }>;
    p.onChanges(c);
    if (!c.has_more) break;
  }
}

/** What every replica must agree on: each row's editable values (tombstones included). */
function hubView(db: Database) {
  const rows = db
    .query<
      {
        id: string;
        notes: string | null;
        rating: number | null;
        beans: string | null;
        grind: string | null;
        dose_g: number | null;
        yield_g: number | null;
        deleted: number;
        bean_id: string | null;
      },
      []
    >("SELECT id, notes, rating, beans, grind, dose_g, yield_g, deleted, bean_id FROM shots WHERE status != 'recording' ORDER BY id")
    .all();
  return rows.map((r) => ({
    id: r.id,
    notes: r.notes,
    rating: r.rating,
    beans: r.beans,
    grind: r.grind,
    dose_g: r.dose_g,
    yield_g: r.yield_g,
    deleted: r.deleted === 1,
    bean_id: r.bean_id,
  }));
}
function phoneView(p: Phone) {
  return [...p.rows.values()].map((r) => ({ id: r.id, ...r.values })).sort((a, b) => (a.id < b.id ? -1 : 1));
}

describe("sync scenarios", () => {
  test("the same field edited on two phones offline: the newer edit wins everywhere; different fields both stay", () => {
    let t = 1_700_000_000_000;
    const { db, shots, sync } = hubAt(() => t);
    const id = machineShot(shots, t);
    const a = new Phone("1111111111111111", () => t);
    const b = new Phone("2222222222222222", () => t);
    syncFully(a, sync);
    syncFully(b, sync);
    a.edit(id, "notes", "from A");
    t += 1000;
    b.edit(id, "notes", "from B (later)");
    b.edit(id, "rating", 4);
    a.edit(id, "beans", "Kenya");
    syncFully(b, sync);
    syncFully(a, sync);
    syncFully(b, sync);
    for (const p of [a, b]) expect(phoneView(p)).toEqual(hubView(db));
    expect(hubView(db)[0]).toMatchObject({ notes: "from B (later)", rating: 4, beans: "Kenya" });
  });

  test("delete wins over a concurrent edit; a later undelete restores the shot with the edit", () => {
    let t = 1_700_000_000_000;
    const { db, shots, sync } = hubAt(() => t);
    const id = machineShot(shots, t);
    const a = new Phone("1111111111111111", () => t);
    const b = new Phone("2222222222222222", () => t);
    syncFully(a, sync);
    syncFully(b, sync);
    t += 10;
    a.edit(id, "deleted", true);
    t += 10;
    b.edit(id, "notes", "edited while A deleted it");
    syncFully(a, sync);
    syncFully(b, sync);
    syncFully(a, sync);
    expect(hubView(db)[0]).toMatchObject({ deleted: true, notes: "edited while A deleted it" });
    expect(shots.list(10)).toHaveLength(0); // gone from every list
    t += 10;
    b.edit(id, "deleted", false);
    syncFully(b, sync);
    syncFully(a, sync);
    expect(phoneView(a)).toEqual(hubView(db));
    expect(shots.list(10)[0]?.notes).toBe("edited while A deleted it");
  });

  test("a lost ack: the same push again changes nothing and creates no duplicate manual shot", () => {
    const t = 1_700_000_000_000;
    const { db, sync } = hubAt(() => t);
    const a = new Phone("1111111111111111", () => t);
    const id = uuidv7(t);
    a.logManual(id, t - 60_000, "at a café, borrowed scale");
    a.edit(id, "rating", 5);
    const batch = a.pushBatch();
    sync.push(a.node, batch); // the ack is lost
    const seqAfterFirst = sync.seq();
    const again = sync.push(a.node, batch);
    expect(again.ack).toMatchObject({ last_mutation_id: 2, rejected: [] });
    expect(again.changed).toBe(false);
    expect(sync.seq()).toBe(seqAfterFirst);
    expect(db.query("SELECT COUNT(*) AS n FROM shots").get()).toEqual({ n: 1 });
    expect(hubView(db)[0]).toMatchObject({ notes: "at a café, borrowed scale", rating: 5 });
  });

  test("pushes that arrive out of order are not lost: the hub stops at the gap and the phone resends", () => {
    const t = 1_700_000_000_000;
    const { db, shots, sync } = hubAt(() => t);
    const id = machineShot(shots, t);
    const a = new Phone("1111111111111111", () => t);
    syncFully(a, sync);
    a.edit(id, "notes", "first");
    a.edit(id, "rating", 3);
    const [first, second] = [a.pushBatch().slice(0, 1), a.pushBatch().slice(1)];
    expect(sync.push(a.node, second).ack).toMatchObject({ last_mutation_id: 0 }); // the second came first: held back
    a.onAck(sync.push(a.node, first).ack);
    syncFully(a, sync);
    expect(hubView(db)[0]).toMatchObject({ notes: "first", rating: 3 });
  });

  test("clock skew: 4 min ahead is accepted and converges; 6 min ahead is refused with clock_drift", () => {
    let t = 1_700_000_000_000;
    const { db, shots, sync } = hubAt(() => t);
    const id = machineShot(shots, t);
    const ahead4 = new Phone("4444444444444444", () => t + 4 * 60_000);
    const ahead6 = new Phone("6666666666666666", () => t + 6 * 60_000);
    syncFully(ahead4, sync);
    ahead4.edit(id, "notes", "from the fast phone");
    syncFully(ahead4, sync);
    expect(hubView(db)[0]?.notes).toBe("from the fast phone");
    // An edit on the hub a moment later still wins: the hub's clock moved past what it received.
    t += 1;
    sync.editLocal(id, { notes: "on the hub, later" });
    syncFully(ahead4, sync);
    expect(phoneView(ahead4)[0]?.notes).toBe("on the hub, later");
    syncFully(ahead6, sync);
    ahead6.edit(id, "rating", 1);
    const r = sync.push(ahead6.node, ahead6.pushBatch());
    expect(r.ack.type === "sync_ack" && r.ack.rejected[0]).toMatchObject({ code: "clock_drift" });
    expect(hubView(db)[0]?.rating).toBeNull();
  });

  test("tombstones past the horizon are collected; a phone behind it resets and pulls again, keeping its outbox", () => {
    let t = 1_700_000_000_000;
    const { db, shots, sync } = hubAt(() => t);
    const keep = machineShot(shots, t);
    const gone = machineShot(shots, t + 1);
    const a = new Phone("1111111111111111", () => t);
    const b = new Phone("2222222222222222", () => t);
    syncFully(a, sync);
    syncFully(b, sync);
    a.edit(gone, "deleted", true);
    syncFully(a, sync);
    t += 100 * 86_400_000;
    expect(sync.collectTombstones(t - 90 * 86_400_000)).toBe(1);
    b.edit(keep, "notes", "written while away");
    expect(sync.hello(b.node, 1, b.cursor)).toMatchObject({ type: "sync_reset", reason: "behind_horizon" });
    syncFully(b, sync);
    expect(phoneView(b)).toEqual(hubView(db));
    expect(hubView(db).map((r) => r.id)).toEqual([keep]);
    expect(hubView(db)[0]?.notes).toBe("written while away");
    expect(sync.hello(b.node, 2, b.cursor)).toMatchObject({ type: "sync_reset", reason: "schema" });
  });

  test("two tabs of one install share one outbox: distinct mutation ids, clocks in order", () => {
    const t = 1_700_000_000_000;
    const { db, shots, sync } = hubAt(() => t);
    const id = machineShot(shots, t);
    const install = new Phone("7777777777777777", () => t); // both tabs write through the same store and clock
    syncFully(install, sync);
    install.edit(id, "notes", "tab 1");
    install.edit(id, "notes", "tab 2");
    const ids = install.outbox.map((e) => e.mutation_id);
    expect(new Set(ids).size).toBe(2);
    const clocks = install.outbox.map((e) => e.fields.notes?.[1] as string);
    expect((clocks[0] as string) < (clocks[1] as string)).toBe(true);
    syncFully(install, sync);
    expect(hubView(db)[0]?.notes).toBe("tab 2");
  });
});

describe("sync property", () => {
  const RUNS = Number(process.env.SYNC_RUNS ?? 1000);
  const SEED = process.env.SYNC_SEED ? Number(process.env.SYNC_SEED) : Date.now() % 2_147_483_647;

  type Op =
    | { k: "edit"; phone: number; shot: number; field: EditableField; value: number }
    | { k: "manual"; phone: number }
    | { k: "hubEdit"; shot: number; field: EditableField; value: number }
    | { k: "machine" }
    | { k: "push"; phone: number; fate: "deliver" | "drop" | "twice" | "lose_ack" | "split_reversed" }
    | { k: "pull"; phone: number; limit: number }
    | { k: "time"; ms: number };

  const fields: EditableField[] = ["notes", "rating", "beans", "grind", "dose_g", "yield_g", "deleted"];
  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      arbitrary: fc.record({
        k: fc.constant("edit" as const),
        phone: fc.nat(2),
        shot: fc.nat(9),
        field: fc.constantFrom(...fields),
        value: fc.integer({ min: 1, max: 5 }),
      }),
      weight: 6,
    },
    { arbitrary: fc.record({ k: fc.constant("manual" as const), phone: fc.nat(2) }), weight: 1 },
    {
      arbitrary: fc.record({
        k: fc.constant("hubEdit" as const),
        shot: fc.nat(9),
        field: fc.constantFrom(...fields),
        value: fc.integer({ min: 1, max: 5 }),
      }),
      weight: 1,
    },
    { arbitrary: fc.constant({ k: "machine" as const }), weight: 1 },
    {
      arbitrary: fc.record({
        k: fc.constant("push" as const),
        phone: fc.nat(2),
        fate: fc.constantFrom("deliver" as const, "drop" as const, "twice" as const, "lose_ack" as const, "split_reversed" as const),
      }),
      weight: 4,
    },
    { arbitrary: fc.record({ k: fc.constant("pull" as const), phone: fc.nat(2), limit: fc.integer({ min: 1, max: 5 }) }), weight: 3 },
    { arbitrary: fc.record({ k: fc.constant("time" as const), ms: fc.integer({ min: 0, max: 120_000 }) }), weight: 2 },
  );
  const valueFor = (f: EditableField, v: number): unknown =>
    f === "deleted" ? v > 3 : f === "rating" ? v : f === "dose_g" ? 15 + v : f === "yield_g" ? 30 + v : `${f} ${v}`;

  test(`three phones and the hub converge after any history (${RUNS} runs)`, () => {
    let lost = 0;
    console.log(`sync property: ${RUNS} runs, seed ${SEED} (replay with SYNC_SEED=${SEED})`);
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 5, maxLength: 60 }),
        fc.array(fc.integer({ min: -200_000, max: 200_000 }), { minLength: 3, maxLength: 3 }),
        (ops, skews) => {
          let t = 1_700_000_000_000;
          const { db, shots, sync } = hubAt(() => t);
          const phones = skews.map((s, i) => new Phone(`${i + 1}`.repeat(16), () => t + s));
          const ids: string[] = [machineShot(shots, t)];
          for (const o of ops) {
            const p = "phone" in o ? (phones[o.phone] as Phone) : null;
            switch (o.k) {
              case "edit": {
                const known = [...(p as Phone).rows.keys()];
                const id = known[o.shot % Math.max(known.length, 1)];
                if (id) (p as Phone).edit(id, o.field, valueFor(o.field, o.value));
                break;
              }
              case "manual": {
                const id = uuidv7(t);
                (p as Phone).logManual(id, t, "manual");
                break;
              }
              case "hubEdit": {
                const id = ids[o.shot % ids.length] as string;
                sync.editLocal(id, { [o.field]: valueFor(o.field, o.value) });
                break;
              }
              case "machine":
                t += 1;
                ids.push(machineShot(shots, t));
                break;
              case "push": {
                const ph = p as Phone;
                if (ph.outbox.length === 0) break;
                sync.hello(ph.node, 1, ph.cursor);
                const batch = ph.pushBatch(4);
                if (o.fate === "drop") break;
                if (o.fate === "split_reversed" && batch.length > 1) {
                  const half = Math.ceil(batch.length / 2);
                  ph.onAck(sync.push(ph.node, batch.slice(half)).ack);
                  ph.onAck(sync.push(ph.node, batch.slice(0, half)).ack);
                  break;
                }
                const r = sync.push(ph.node, batch);
                if (o.fate === "twice") sync.push(ph.node, batch);
                if (o.fate !== "lose_ack") ph.onAck(r.ack);
                break;
              }
              case "pull": {
                const ph = p as Phone;
                if (sync.hello(ph.node, 1, ph.cursor).type === "sync_reset") ph.reset();
                ph.onChanges(sync.pull(ph.cursor, o.limit));
                break;
              }
              case "time":
                t += o.ms;
                break;
            }
          }
          // Final sync: twice round, so what one phone pushed last reaches the others.
          for (let round = 0; round < 2; round++) for (const ph of phones) syncFully(ph, sync);
          const truth = hubView(db);
          for (const ph of phones) {
            expect(ph.outbox).toEqual([]);
            expect(phoneView(ph)).toEqual(truth);
          }
          // Nothing a phone pushed was lost: each manual shot it logged exists on the hub.
          lost += phones.reduce((n, ph) => n + [...ph.rows.keys()].filter((id) => !truth.some((r) => r.id === id)).length, 0);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    expect(lost).toBe(0);
  }, 120000);
});

void formatHlc;
