import { expect, test } from "bun:test";
import fc from "fast-check";
import { type FieldEdits, type Mergeable, mergeFields } from "./merge.ts";

const t = (n: number, node = "0123456789abcdef", counter = 0) =>
  `2026-11-27T09:00:00.${String(n).padStart(3, "0")}Z-${counter.toString(16).padStart(4, "0")}-${node}`;
const empty: Mergeable = { values: {}, clocks: {} };

test("newer wins per field, different fields both stay, equal clocks are replays", () => {
  let r = mergeFields(empty, { notes: ["sour", t(1)], rating: [3, t(1)] }).row;
  r = mergeFields(r, { notes: ["sweet", t(2)] }).row; // newer edit of notes
  r = mergeFields(r, { rating: [5, t(0)] }).row; // older edit of rating: ignored
  expect(r.values).toEqual({ notes: "sweet", rating: 3 });
  const replay = mergeFields(r, { notes: ["sweet", t(2)] });
  expect(replay.changed).toEqual([]);
  expect(replay.row).toEqual(r);
});

test("delete wins over a concurrent edit of another field; a newer undelete restores", () => {
  let r = mergeFields(empty, { notes: ["ok", t(1)] }).row;
  r = mergeFields(r, { deleted: [true, t(5)] }).row;
  r = mergeFields(r, { notes: ["edited offline", t(4)] }).row;
  expect(r.values).toEqual({ notes: "edited offline", deleted: true }); // still deleted
  r = mergeFields(r, { deleted: [false, t(9)] }).row;
  expect(r.values.deleted).toBe(false);
});

test("any order, any duplication of the same edits gives the same row", () => {
  const edit = fc.record({
    field: fc.constantFrom("notes", "rating", "deleted"),
    ms: fc.integer({ min: 0, max: 999 }),
    node: fc.constantFrom("0123456789abcdef", "fedcba9876543210"),
    v: fc.integer({ min: 1, max: 5 }),
  });
  fc.assert(
    fc.property(fc.array(edit, { maxLength: 20 }), fc.integer(), (edits, seed) => {
      // Every write has its own clock (a real clock never stamps two writes alike): the index is the counter.
      const asEdits: FieldEdits[] = edits.map((e, i) => ({
        [e.field]: [e.field === "deleted" ? e.v > 2 : e.field === "notes" ? `n${e.v}` : e.v, t(e.ms, e.node, i)],
      }));
      const shuffled = [...asEdits, ...asEdits.slice(0, 3)].sort(
        (a, b) => ((JSON.stringify(a).length * 31 + seed) % 7) - 3 || JSON.stringify(a).localeCompare(JSON.stringify(b)),
      );
      const one = asEdits.reduce((r, e) => mergeFields(r, e).row, empty);
      const two = shuffled.reduce((r, e) => mergeFields(r, e).row, empty);
      expect(two).toEqual(one);
    }),
    { numRuns: 1000 },
  );
});
