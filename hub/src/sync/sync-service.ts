/**
 * @module The hub's side of sync (design: style-anchors "Local-first sync"): the household's
 * authority and sequencer. A push is applied in one SQLite transaction — each mutation at most
 * once and in order per install (its last applied mutation id is stored with the rows), each field
 * by the shared last-writer-wins rule, every changed row stamped with the next global `server_seq`.
 * A pull returns rows (tombstones included) changed after a cursor. Deleted rows older than the
 * tombstone horizon are collected; a phone whose cursor is behind the horizon must start over.
 */
import type { Database } from "bun:sqlite";
import {
  EDITABLE_FIELDS,
  type EditableField,
  type FieldClocks,
  type FieldEdits,
  formatHlc,
  type Hlc,
  HlcError,
  mergeFields,
  SYNC_SCHEMAS,
  type SyncRow,
  type SyncServerMessage,
  type WeightCurve,
} from "@brewos/protocol/sync";
import { WeightCurveSchema } from "@brewos/protocol/sync/messages";
import type { ShotStore } from "../store/shot-store.ts";
import { isPlainObject, isStringList, storedJson } from "../store/stored-json.ts";
import { BeanStore } from "./bean-store.ts";

type Mutation =
  | {
      mutation_id: number;
      shot_id: string;
      fields: FieldEdits;
      create?: { started_at_ms: number; duration_ms: number | null; weight_curve?: WeightCurve | undefined } | undefined;
    }
  | { mutation_id: number; bean_id: string; bean: FieldEdits };

interface DbRow {
  id: string;
  server_seq: number;
  status: string;
  source: string;
  started_at_ms: number;
  duration_ms: number | null;
  stop_reason: string | null;
  end_flags: string;
  profile_slot: number | null;
  profile_json: string | null;
  target_g: number | null;
  final_weight_g: number | null;
  settled_weight_g: number | null;
  volume_ml: number | null;
  max_pressure_bar: number | null;
  mean_brew_c: number | null;
  sample_count: number;
  notes: string | null;
  rating: number | null;
  beans: string | null;
  grind: string | null;
  dose_g: number | null;
  yield_g: number | null;
  deleted: number;
  bean_id: string | null;
  weight_curve: string | null;
  field_clocks: string;
}

const COLUMNS =
  "id, server_seq, status, source, started_at_ms, duration_ms, stop_reason, end_flags, profile_slot, profile_json, target_g, final_weight_g, settled_weight_g, volume_ml, max_pressure_bar, mean_brew_c, sample_count, notes, rating, beans, grind, dose_g, yield_g, deleted, bean_id, weight_curve, field_clocks";

/** Clocks written before sync existed were plain milliseconds: read them as the oldest clock of that millisecond. */
export function readClocks(json: string): FieldClocks {
  const raw = storedJson<Record<string, string | number>>(json, {}, isPlainObject);
  const out: FieldClocks = {};
  for (const f of EDITABLE_FIELDS) {
    const v = raw[f];
    if (typeof v === "string") out[f] = v;
    else if (typeof v === "number") out[f] = formatHlc({ millis: v, counter: 0, node: "0000000000000000" });
  }
  return out;
}

const isWeightCurve = (v: unknown): boolean => WeightCurveSchema.safeParse(v).success;

function toSyncRow(r: DbRow): SyncRow {
  const name = storedJson<{ name?: unknown }>(r.profile_json, {}, isPlainObject).name;
  const profileName = typeof name === "string" ? name : null;
  return {
    id: r.id,
    server_seq: r.server_seq,
    status: r.status,
    source: r.source,
    started_at_ms: r.started_at_ms,
    duration_ms: r.duration_ms,
    stop_reason: r.stop_reason,
    end_flags: storedJson<string[]>(r.end_flags, [], isStringList),
    profile_slot: r.profile_slot,
    profile_name: profileName,
    target_g: r.target_g,
    final_weight_g: r.final_weight_g,
    settled_weight_g: r.settled_weight_g,
    volume_ml: r.volume_ml,
    max_pressure_bar: r.max_pressure_bar,
    mean_brew_c: r.mean_brew_c,
    sample_count: r.sample_count,
    ...(r.weight_curve ? { weight_curve: storedJson<WeightCurve | null>(r.weight_curve, null, isWeightCurve) } : {}),
    values: {
      notes: r.notes,
      rating: r.rating,
      beans: r.beans,
      grind: r.grind,
      dose_g: r.dose_g,
      yield_g: r.yield_g,
      deleted: r.deleted === 1,
      bean_id: r.bean_id ?? null,
    },
    clocks: readClocks(r.field_clocks),
  };
}

export class SyncService {
  readonly beans: BeanStore;

  constructor(
    private readonly db: Database,
    private readonly shots: ShotStore,
    private readonly clock: Hlc,
    readonly hubId: string,
    private readonly now: () => number = Date.now,
  ) {
    this.beans = new BeanStore(db, () => shots.nextServerSeq(), now);
  }

  seq(): number {
    return Number(this.db.query<{ value: string }, []>("SELECT value FROM meta WHERE key = 'server_seq'").get()?.value ?? 0);
  }

  horizon(): number {
    return Number(this.db.query<{ value: string }, []>("SELECT value FROM meta WHERE key = 'tombstone_horizon_seq'").get()?.value ?? 0);
  }

  hello(nodeId: string, schemaVersion: number, cursor: number): SyncServerMessage {
    if (!(SYNC_SCHEMAS as readonly number[]).includes(schemaVersion))
      return {
        type: "sync_reset",
        v: 1,
        reason: "schema",
        message: `this hub syncs schema ${SYNC_SCHEMAS.join(", ")}, the app sent ${schemaVersion}: update the app`,
      };
    if (cursor > 0 && cursor < this.horizon())
      return {
        type: "sync_reset",
        v: 1,
        reason: "behind_horizon",
        message: "this device was away longer than deleted shots are kept: history is loaded again",
      };
    this.db
      .query(
        "INSERT INTO sync_clients (node_id, last_mutation_id, last_seen_at_ms) VALUES ($n, 0, $t) ON CONFLICT (node_id) DO UPDATE SET last_seen_at_ms = $t",
      )
      .run({ n: nodeId, t: this.now() });
    return { type: "sync_welcome", v: 1, hub_id: this.hubId, seq: this.seq() };
  }

  /** Apply a push; `changed` says whether other devices should be poked. */
  push(nodeId: string, mutations: readonly Mutation[]): { ack: SyncServerMessage; changed: boolean } {
    const rejected: { mutation_id: number; code: string; message: string }[] = [];
    let changed = false;
    let last = 0;
    this.db.transaction(() => {
      last =
        this.db
          .query<{ id: number }, { n: string }>("SELECT last_mutation_id AS id FROM sync_clients WHERE node_id = $n")
          .get({ n: nodeId })?.id ?? 0;
      for (const m of mutations) {
        if (m.mutation_id <= last) continue; // applied before (a lost ack, or a second tab's replay)
        // Mutation ids of one install have no holes; a jump means earlier ones have not arrived.
        // Stop here: the ack tells the phone where to resend from.
        if (m.mutation_id > last + 1) break;
        last = m.mutation_id;
        const problem = this.applyOne(m);
        if (problem === "changed") changed = true;
        else if (problem !== "same") rejected.push({ mutation_id: m.mutation_id, ...problem });
      }
      this.db
        .query(
          "INSERT INTO sync_clients (node_id, last_mutation_id, last_seen_at_ms) VALUES ($n, $m, $t) ON CONFLICT (node_id) DO UPDATE SET last_mutation_id = $m, last_seen_at_ms = $t",
        )
        .run({ n: nodeId, m: last, t: this.now() });
      this.saveClock();
    })();
    return { ack: { type: "sync_ack", v: 1, last_mutation_id: last, rejected }, changed };
  }

  private applyOne(m: Mutation): "changed" | "same" | { code: string; message: string } {
    for (const e of Object.values("bean_id" in m ? m.bean : m.fields)) {
      try {
        this.clock.recv((e as [unknown, string])[1]);
      } catch (err) {
        if (err instanceof HlcError) return { code: err.code, message: err.message };
        throw err;
      }
    }
    if ("bean_id" in m) return this.beans.apply(m.bean_id, m.bean) ? "changed" : "same";
    let row = this.db.query<DbRow, { id: string }>(`SELECT ${COLUMNS} FROM shots WHERE id = $id`).get({ id: m.shot_id });
    const created = !row;
    if (!row) {
      if (!m.create) return { code: "not_found", message: `no shot ${m.shot_id} on the hub` };
      this.db
        .query(
          `INSERT INTO shots (id, server_seq, status, started_at_ms, shot_token, source, duration_ms, weight_curve, updated_at_ms)
           VALUES ($id, $seq, 'complete', $start, 0, 'manual', $dur, $curve, $now)`,
        )
        .run({
          id: m.shot_id,
          seq: this.shots.nextServerSeq(),
          start: m.create.started_at_ms,
          dur: m.create.duration_ms,
          curve: m.create.weight_curve ? JSON.stringify(m.create.weight_curve) : null,
          now: this.now(),
        });
      row = this.db.query<DbRow, { id: string }>(`SELECT ${COLUMNS} FROM shots WHERE id = $id`).get({ id: m.shot_id }) as DbRow;
    }
    const current = toSyncRow(row);
    const merged = mergeFields({ values: current.values, clocks: current.clocks }, m.fields);
    if (merged.changed.length === 0) return created ? "changed" : "same";
    this.write(m.shot_id, merged.row.values as SyncRow["values"], merged.row.clocks);
    return "changed";
  }

  private write(id: string, v: SyncRow["values"], clocks: FieldClocks): void {
    this.db
      .query(
        `UPDATE shots SET notes = $notes, rating = $rating, beans = $beans, grind = $grind, dose_g = $dose_g, yield_g = $yield_g,
           deleted = $deleted, bean_id = $bean_id, field_clocks = $clocks, server_seq = $seq, updated_at_ms = $now WHERE id = $id`,
      )
      .run({
        id,
        notes: v.notes ?? null,
        rating: v.rating ?? null,
        beans: v.beans ?? null,
        grind: v.grind ?? null,
        dose_g: v.dose_g ?? null,
        yield_g: v.yield_g ?? null,
        deleted: v.deleted ? 1 : 0,
        bean_id: v.bean_id ?? null,
        clocks: JSON.stringify(clocks),
        seq: this.shots.nextServerSeq(),
        now: this.now(),
      });
  }

  /** An edit made on the hub itself (the API's PATCH, for a client that does not sync): same rule, the hub's clock. */
  editLocal(id: string, values: Partial<Record<EditableField, unknown>>): boolean {
    const fields: FieldEdits = {};
    for (const [k, v] of Object.entries(values)) fields[k as EditableField] = [v, this.clock.send()];
    let changed = false;
    this.db.transaction(() => {
      const row = this.db.query<DbRow, { id: string }>(`SELECT ${COLUMNS} FROM shots WHERE id = $id`).get({ id });
      if (!row) return;
      const cur = toSyncRow(row);
      const merged = mergeFields({ values: cur.values, clocks: cur.clocks }, fields);
      if (merged.changed.length === 0) return;
      this.write(id, merged.row.values as SyncRow["values"], merged.row.clocks);
      this.saveClock();
      changed = true;
    })();
    return changed;
  }

  /** The clock survives restarts, so it never runs back even if the wall clock does. */
  private saveClock(): void {
    this.db
      .query("INSERT INTO meta (key, value) VALUES ('hlc', $v) ON CONFLICT (key) DO UPDATE SET value = $v")
      .run({ v: this.clock.last });
  }

  pull(since: number, limit: number): SyncServerMessage {
    const rows = this.db
      .query<DbRow, { since: number; n: number }>(
        `SELECT ${COLUMNS} FROM shots WHERE server_seq > $since AND status != 'recording' ORDER BY server_seq LIMIT $n`,
      )
      .all({ since, n: limit + 1 });
    const more = rows.length > limit;
    const page = rows.slice(0, limit).map(toSyncRow);
    // Beans share the sequence: a page carries the beans changed up to its cursor (all of them on
    // the last page), so a cursor never skips one.
    const shotCursor = page.at(-1)?.server_seq ?? Math.max(since, 0);
    const beans = this.beans.changedSince(since, more ? shotCursor : Number.MAX_SAFE_INTEGER);
    const cursor = Math.max(shotCursor, beans.at(-1)?.server_seq ?? 0);
    return { type: "sync_changes", v: 1, rows: page, ...(beans.length ? { beans } : {}), cursor, has_more: more };
  }

  /** Drop tombstones deleted before `olderThanMs`; phones whose cursor is older must reset. Returns how many. */
  collectTombstones(olderThanMs: number): number {
    let n = 0;
    this.db.transaction(() => {
      const dead = this.db
        .query<{ id: string; server_seq: number; field_clocks: string }, []>(
          "SELECT id, server_seq, field_clocks FROM shots WHERE deleted = 1",
        )
        .all()
        .filter((r) => {
          const c = readClocks(r.field_clocks).deleted;
          return c !== undefined && Date.parse(c.slice(0, 24)) < olderThanMs;
        });
      if (dead.length === 0) return;
      const horizon = Math.max(this.horizon(), ...dead.map((d) => d.server_seq));
      for (const d of dead) this.db.query("DELETE FROM shots WHERE id = $id").run({ id: d.id });
      this.db.query("UPDATE meta SET value = $h WHERE key = 'tombstone_horizon_seq'").run({ h: String(horizon) });
      n = dead.length;
    })();
    return n;
  }
}
