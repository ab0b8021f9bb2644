/**
 * @module The one conflict rule, used by the hub and by every phone: each editable field of a shot
 * (and of a bean in the library)
 * carries the clock of its last write, and an incoming value replaces the stored one only when its
 * clock is newer (string order). An equal clock is the same write arriving again: nothing changes,
 * so every apply is idempotent. Deleting is an edit of the `deleted` field, so a delete and an edit
 * of the notes never collide (the delete stands; undelete is a newer `deleted: false`).
 */

export const EDITABLE_FIELDS = ["notes", "rating", "beans", "grind", "dose_g", "yield_g", "deleted", "bean_id"] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];
/** A bean in the library: every field is editable, by the same rule. */
export const BEAN_FIELDS = ["name", "roaster", "origin", "roast_date", "notes", "grinder", "grind_setting", "deleted"] as const;
export type BeanField = (typeof BEAN_FIELDS)[number];

export type FieldValues = {
  [K in EditableField]?: K extends "deleted" ? boolean : K extends "notes" | "beans" | "grind" | "bean_id" ? string | null : number | null;
};
/** Field → clock of its last write. */
export type FieldClocks = Partial<Record<string, string>>;
/** Field → [value, clock], as edits travel. */
export type FieldEdits = Partial<Record<string, [unknown, string]>>;

export interface Mergeable<V = FieldValues> {
  values: V;
  clocks: FieldClocks;
}

/** Apply edits; returns the merged row and the fields that changed (none: a replay or older news). */
export function mergeFields<V = FieldValues>(
  row: Mergeable<V>,
  edits: FieldEdits,
  fields: readonly string[] = EDITABLE_FIELDS,
): { row: Mergeable<V>; changed: string[] } {
  const values: Record<string, unknown> = { ...(row.values as Record<string, unknown>) };
  const clocks: FieldClocks = { ...row.clocks };
  const changed: string[] = [];
  for (const f of fields) {
    const e = edits[f];
    if (!e) continue;
    const [value, clock] = e;
    if (clock > (clocks[f] ?? "")) {
      values[f] = value;
      clocks[f] = clock;
      changed.push(f);
    }
  }
  return { row: { values: values as V, clocks }, changed };
}

/**
 * A row from a pull over the local copy: fields neither side ever edited take the hub's value (a
 * dose the machine recorded), edited fields follow the clock rule, so a local edit still waiting
 * in the outbox survives an older value from the hub.
 */
export function mergeRow<V = FieldValues>(
  local: Mergeable<V> | null,
  incoming: Mergeable<V>,
  fields: readonly string[] = EDITABLE_FIELDS,
): Mergeable<V> {
  const base: Record<string, unknown> = { ...(incoming.values as Record<string, unknown>) };
  const clocks: FieldClocks = {};
  if (local) {
    for (const f of fields) {
      const c = local.clocks[f];
      if (c !== undefined) {
        base[f] = (local.values as Record<string, unknown>)[f];
        clocks[f] = c;
      }
    }
  }
  const edits: FieldEdits = {};
  for (const f of fields) {
    const c = incoming.clocks[f];
    if (c !== undefined) edits[f] = [(incoming.values as Record<string, unknown>)[f], c];
  }
  return mergeFields<V>({ values: base as V, clocks }, edits, fields).row;
}
