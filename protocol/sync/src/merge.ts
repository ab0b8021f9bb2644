/**
 * @module The one conflict rule, used by the hub and by every phone: each editable field of a shot
 * carries the clock of its last write, and an incoming value replaces the stored one only when its
 * clock is newer (string order). An equal clock is the same write arriving again: nothing changes,
 * so every apply is idempotent. Deleting is an edit of the `deleted` field, so a delete and an edit
 * of the notes never collide (the delete stands; undelete is a newer `deleted: false`).
 */

export const EDITABLE_FIELDS = ["notes", "rating", "beans", "grind", "dose_g", "yield_g", "deleted"] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

export type FieldValues = {
  [K in EditableField]?: K extends "deleted" ? boolean : K extends "notes" | "beans" | "grind" ? string | null : number | null;
};
/** Field → clock of its last write. */
export type FieldClocks = Partial<Record<EditableField, string>>;
/** Field → [value, clock], as edits travel. */
export type FieldEdits = Partial<Record<EditableField, [unknown, string]>>;

export interface Mergeable {
  values: FieldValues;
  clocks: FieldClocks;
}

/** Apply edits; returns the merged row and the fields that changed (none: a replay or older news). */
export function mergeFields(row: Mergeable, edits: FieldEdits): { row: Mergeable; changed: EditableField[] } {
  const values: Record<string, unknown> = { ...row.values };
  const clocks: FieldClocks = { ...row.clocks };
  const changed: EditableField[] = [];
  for (const f of EDITABLE_FIELDS) {
    const e = edits[f];
    if (!e) continue;
    const [value, clock] = e;
    if (clock > (clocks[f] ?? "")) {
      values[f] = value;
      clocks[f] = clock;
      changed.push(f);
    }
  }
  return { row: { values: values as FieldValues, clocks }, changed };
}

/**
 * A row from a pull over the local copy: fields neither side ever edited take the hub's value (a
 * dose the machine recorded), edited fields follow the clock rule, so a local edit still waiting
 * in the outbox survives an older value from the hub.
 */
export function mergeRow(local: Mergeable | null, incoming: { values: FieldValues; clocks: FieldClocks }): Mergeable {
  const base: Record<string, unknown> = { ...incoming.values };
  const clocks: FieldClocks = {};
  if (local) {
    for (const f of EDITABLE_FIELDS) {
      const c = local.clocks[f];
      if (c !== undefined) {
        base[f] = local.values[f];
        clocks[f] = c;
      }
    }
  }
  const edits: FieldEdits = {};
  for (const f of EDITABLE_FIELDS) {
    const c = incoming.clocks[f];
    if (c !== undefined) edits[f] = [incoming.values[f], c];
  }
  return mergeFields({ values: base as FieldValues, clocks }, edits).row;
}
