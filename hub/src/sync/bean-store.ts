/**
 * @module The bean library on the hub: one row per bean, its values and their clocks as JSON,
 * stamped with the shared `server_seq` on every change so a pull carries beans beside shots. The
 * merge rule is sync's own (per-field last writer wins). A damaged row reads as an empty bean.
 */
import type { Database } from "bun:sqlite";
import { BEAN_FIELDS, type BeanRow, EMPTY_BEAN, type FieldClocks, type FieldEdits, mergeFields } from "@brewos/protocol/sync";
import { isPlainObject, storedJson } from "../store/stored-json.ts";

interface DbBean {
  id: string;
  server_seq: number;
  values_json: string;
  field_clocks: string;
}

function toRow(r: DbBean): BeanRow {
  const values = { ...EMPTY_BEAN, ...storedJson<Partial<BeanRow["values"]>>(r.values_json, {}, isPlainObject) };
  const raw = storedJson<Record<string, unknown>>(r.field_clocks, {}, isPlainObject);
  const clocks: FieldClocks = {};
  for (const f of BEAN_FIELDS) if (typeof raw[f] === "string") clocks[f] = raw[f] as string;
  return { id: r.id, server_seq: r.server_seq, values, clocks };
}

export class BeanStore {
  constructor(
    private readonly db: Database,
    private readonly nextSeq: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  get(id: string): BeanRow | null {
    const r = this.db
      .query<DbBean, { id: string }>("SELECT id, server_seq, values_json, field_clocks FROM beans WHERE id = $id")
      .get({ id });
    return r ? toRow(r) : null;
  }

  /** Apply edits (creating the bean on its first); true when anything changed. Call inside a transaction. */
  apply(id: string, edits: FieldEdits): boolean {
    const current = this.get(id);
    const merged = mergeFields<BeanRow["values"]>(
      { values: current?.values ?? EMPTY_BEAN, clocks: current?.clocks ?? {} },
      edits,
      BEAN_FIELDS,
    );
    if (current && merged.changed.length === 0) return false;
    this.db
      .query(
        `INSERT INTO beans (id, server_seq, values_json, field_clocks, updated_at_ms) VALUES ($id, $seq, $v, $c, $t)
         ON CONFLICT (id) DO UPDATE SET server_seq = $seq, values_json = $v, field_clocks = $c, updated_at_ms = $t`,
      )
      .run({ id, seq: this.nextSeq(), v: JSON.stringify(merged.row.values), c: JSON.stringify(merged.row.clocks), t: this.now() });
    return true;
  }

  /** Beans changed after `since`, up to `until` (inclusive) when given. */
  changedSince(since: number, until = Number.MAX_SAFE_INTEGER): BeanRow[] {
    return this.db
      .query<DbBean, { since: number; until: number }>(
        "SELECT id, server_seq, values_json, field_clocks FROM beans WHERE server_seq > $since AND server_seq <= $until ORDER BY server_seq",
      )
      .all({ since, until })
      .map(toRow);
  }

  /** Every bean with its clocks, for backups. */
  all(): BeanRow[] {
    return this.changedSince(-1);
  }
}
