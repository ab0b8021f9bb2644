/**
 * Test helper: a phone's sync state in memory — its rows, outbox, cursor and clock — following the
 * same rules as the app's Dexie store (shared merge rule, outbox in order, the cursor moved only
 * together with the rows it covers). Used by the scenario and property tests against the real hub
 * SyncService on SQLite.
 */
import {
  type EditableField,
  EMPTY_SHOT_VALUES,
  type FieldEdits,
  Hlc,
  mergeFields,
  mergeRow,
  type SyncRow,
  type SyncServerMessage,
} from "@brewos/protocol/sync";

export interface PhoneRow {
  id: string;
  values: SyncRow["values"];
  clocks: SyncRow["clocks"];
}

export interface OutboxEntry {
  mutation_id: number;
  shot_id: string;
  fields: FieldEdits;
  create?: { started_at_ms: number; duration_ms: number | null };
}

const EMPTY = EMPTY_SHOT_VALUES;

export class Phone {
  readonly rows = new Map<string, PhoneRow>();
  outbox: OutboxEntry[] = [];
  cursor = 0;
  private nextMutation = 1;
  readonly clock: Hlc;

  constructor(
    readonly node: string,
    now: () => number,
  ) {
    this.clock = new Hlc(node, null, now);
  }

  /** An edit is one step: the row and its clocks, and an outbox entry. */
  edit(shotId: string, field: EditableField, value: unknown): void {
    const fields: FieldEdits = { [field]: [value, this.clock.send()] };
    const row = this.rows.get(shotId) ?? { id: shotId, values: { ...EMPTY }, clocks: {} };
    const merged = mergeFields(row, fields).row;
    this.rows.set(shotId, { id: shotId, values: merged.values as SyncRow["values"], clocks: merged.clocks });
    this.outbox.push({ mutation_id: this.nextMutation++, shot_id: shotId, fields });
  }

  /** A shot logged by hand with no hub around. */
  logManual(shotId: string, startedAtMs: number, notes: string): void {
    const fields: FieldEdits = { notes: [notes, this.clock.send()] };
    const merged = mergeFields({ values: { ...EMPTY }, clocks: {} }, fields).row;
    this.rows.set(shotId, { id: shotId, values: merged.values as SyncRow["values"], clocks: merged.clocks });
    this.outbox.push({
      mutation_id: this.nextMutation++,
      shot_id: shotId,
      fields,
      create: { started_at_ms: startedAtMs, duration_ms: 28_000 },
    });
  }

  pushBatch(max = 100): OutboxEntry[] {
    return this.outbox.slice(0, max);
  }

  onAck(m: SyncServerMessage): void {
    if (m.type !== "sync_ack") return;
    this.outbox = this.outbox.filter((e) => e.mutation_id > m.last_mutation_id);
  }

  /** Rows and cursor together (one transaction in Dexie). */
  onChanges(m: SyncServerMessage): void {
    if (m.type !== "sync_changes") return;
    for (const r of m.rows) {
      try {
        for (const c of Object.values(r.clocks)) if (c) this.clock.recv(c);
      } catch {
        // a hub clock far ahead of this phone's wall clock: keep the data, the next local edit still orders after it
      }
      const merged = mergeRow(this.rows.get(r.id) ?? null, r);
      this.rows.set(r.id, { id: r.id, values: { ...EMPTY, ...merged.values } as SyncRow["values"], clocks: merged.clocks });
    }
    this.cursor = m.cursor;
  }

  reset(): void {
    this.rows.clear(); // the outbox stays: unsent edits are never thrown away
    this.cursor = 0;
  }
}
