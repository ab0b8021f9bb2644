/**
 * @module The phone's shot log (Dexie/IndexedDB): the source of truth on this device. Shots as they
 * sync (immutable core, editable values with their clocks), the outbox of edits not yet on the hub,
 * cached samples, and meta (install id, clock, cursor). Versions:
 *  1 — a read cache of the hub's REST shot records;
 *  2 — sync: rows get values and clocks, plus outbox and meta (old rows are converted, clocks empty,
 *      so the first pull fills them in);
 *  3 — the bean library (synced like shots); outbox entries may name a bean instead of a shot.
 */
import type { ShotRecord } from "@brewos/protocol/api";
import type { BeanRow, SyncRow, WeightCurve } from "@brewos/protocol/sync";
import Dexie, { type EntityTable } from "dexie";

export type LocalShot = SyncRow;
export type LocalBean = BeanRow;

export interface OutboxEntry {
  seq?: number;
  /** A shot's edit ("" for a bean's). */
  shot_id: string;
  /** A bean's edit: the fields are the bean's. */
  bean_id?: string;
  fields: Record<string, [unknown, string]>;
  create?: { started_at_ms: number; duration_ms: number | null; weight_curve?: WeightCurve };
}

export interface MetaEntry {
  key: "node_id" | "hlc" | "cursor" | "schema_version";
  value: string | number;
}

export interface CachedSamples {
  shot_id: string;
  samples: unknown[];
}

export type BrewosDb = Dexie & {
  shots: EntityTable<LocalShot, "id">;
  samples: EntityTable<CachedSamples, "shot_id">;
  outbox: EntityTable<OutboxEntry, "seq">;
  beans: EntityTable<LocalBean, "id">;
  meta: EntityTable<MetaEntry, "key">;
};

export const DB_NAME = "brewos-history";

/** A v1 cached REST record as a v2 sync row (no clocks yet: the hub's values win on the first pull). */
export function fromRecord(r: ShotRecord): LocalShot {
  return {
    id: r.id,
    server_seq: r.server_seq,
    status: r.status,
    source: r.source,
    started_at_ms: r.started_at_ms,
    duration_ms: r.duration_ms,
    stop_reason: r.stop_reason,
    end_flags: r.end_flags ?? [],
    profile_slot: r.profile_slot,
    profile_name: null,
    target_g: r.target_g,
    final_weight_g: r.final_weight_g,
    settled_weight_g: r.settled_weight_g ?? null,
    volume_ml: r.volume_ml,
    max_pressure_bar: r.max_pressure_bar,
    mean_brew_c: r.mean_brew_c,
    sample_count: r.sample_count,
    values: {
      notes: r.notes,
      rating: r.rating,
      beans: r.beans,
      grind: r.grind,
      dose_g: r.dose_g,
      yield_g: r.yield_g ?? null,
      deleted: false,
      bean_id: null,
    },
    clocks: {},
  };
}

export function openDb(name = DB_NAME): BrewosDb {
  const db = new Dexie(name) as BrewosDb;
  db.version(1).stores({ shots: "id, started_at_ms, server_seq", samples: "shot_id" });
  db.version(2)
    .stores({ shots: "id, started_at_ms, server_seq", samples: "shot_id", outbox: "++seq, shot_id", meta: "key" })
    .upgrade(async (tx) => {
      await tx
        .table("shots")
        .toCollection()
        .modify((row: Record<string, unknown>, ref: { value: unknown }) => {
          if (!("values" in row)) ref.value = fromRecord(row as unknown as ShotRecord);
        });
    });
  db.version(3).stores({
    shots: "id, started_at_ms, server_seq",
    samples: "shot_id",
    outbox: "++seq, shot_id",
    meta: "key",
    beans: "id",
  });
  return db;
}

export const db = openDb();
