/**
 * @module What a backup holds and how its parts are checked and written: hub settings (without
 * secrets, which never leave the hub), controller settings, shots with their samples, maintenance,
 * energy history and profiles. A version-1 document is checked whole and written in one
 * transaction; the streamed version 2 (backup-stream.ts) uses the same checks and writers.
 * Shots already present (same id) are kept as they are.
 */
import type { Database } from "bun:sqlite";
import { ProfileError, parseProfile } from "@brewos/protocol/profile";
import { BEAN_FIELDS, HLC_LENGTH } from "@brewos/protocol/sync";
import { BeanValuesSchema, WeightCurveSchema } from "@brewos/protocol/sync/messages";
import { z } from "zod";
import { ShotAnnotationsSchema } from "../shots/annotations.ts";
import { BeanStore } from "../sync/bean-store.ts";
import { decodeSamples } from "./samples-codec.ts";

export const BACKUP_FORMAT = "brewos-hub-backup";
export const BACKUP_VERSION = 1;

/** A JSON text whose value passes `schema` (what the hub itself writes in that column). */
const jsonText = (schema: z.ZodType, what: string) =>
  z.string().refine(
    (t) => {
      try {
        return schema.safeParse(JSON.parse(t)).success;
      } catch {
        return false;
      }
    },
    { message: `must be ${what} as JSON text` },
  );
const HLC_OR_MS = z.union([z.string().max(64), z.number()]);

const ShotRow = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
  status: z.enum(["complete", "interrupted"]),
  started_at_ms: z.int(),
  shot_token: z.int(),
  source: z.string().max(32),
  profile_slot: z.int().nullable(),
  profile_json: jsonText(z.record(z.string(), z.unknown()), "a profile object").nullable(),
  // The same limits as a person's edit (PATCH /api/shots/:id, sync), so a backup can hold nothing
  // the app could not have entered.
  // (dose and target may also be 0–100 g / 0–500 g as the controller recorded them).
  dose_g: z.number().min(0).max(100).nullable(),
  target_g: z.number().min(0).max(500).nullable(),
  duration_ms: z.int().nullable(),
  stop_reason: z.string().max(64).nullable(),
  end_flags: jsonText(z.array(z.string().max(64)).max(32), "a list of flag names"),
  volume_ml: z.number().nullable(),
  final_weight_g: z.number().nullable(),
  max_pressure_bar: z.number().nullable(),
  mean_brew_c: z.number().nullable(),
  /** Absent in backups made before the hub measured it. */
  settled_weight_g: z.number().nullable().default(null),
  yield_g: ShotAnnotationsSchema.shape.yield_g.unwrap().default(null),
  sample_count: z.int().min(0),
  rating: ShotAnnotationsSchema.shape.rating.unwrap(),
  notes: ShotAnnotationsSchema.shape.notes.unwrap(),
  beans: ShotAnnotationsSchema.shape.beans.unwrap(),
  grind: ShotAnnotationsSchema.shape.grind.unwrap(),
  /** The library bean the shot was pulled with; absent in backups made before the library. */
  bean_id: z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    .nullable()
    .default(null),
  /** A hand-logged shot's weight curve; absent in backups made before hubs kept it. */
  weight_curve: jsonText(WeightCurveSchema, "a weight curve {t_s, g}").nullable().default(null),
  field_clocks: jsonText(z.record(z.string().max(32), HLC_OR_MS), "an object of field clocks"),
  updated_at_ms: z.int(),
  /** Sample chunks, base64, in order. */
  samples: z.array(z.base64()),
});

export const Backup = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  created_at_ms: z.int(),
  settings: z.strictObject({ hub: z.record(z.string(), z.unknown()), controller: z.record(z.string(), z.int()) }),
  shots: z.array(ShotRow),
  maintenance: z.array(z.strictObject({ kind: z.enum(["backflush", "group_clean", "descale"]), done_at_ms: z.int() })),
  energy_days: z.array(
    z.strictObject({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), wh: z.number().min(0), heating_s: z.number().min(0) }),
  ),
  /** People's own profiles (absent in backups made before the library existed). */
  profiles: z.array(z.strictObject({ id: z.string(), json: z.string(), updated_at_ms: z.int() })).default([]),
  /** The bean library with each field's clock (absent before it existed). */
  beans: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        values: BeanValuesSchema.partial(),
        clocks: z.partialRecord(z.enum(BEAN_FIELDS), z.string().length(HLC_LENGTH)),
      }),
    )
    .max(10_000)
    .default([]),
});
export type Backup = z.infer<typeof Backup>;

/** The columns a backup carries for a shot: the ShotRow fields but its samples. */
export const SHOT_COLUMNS = Object.keys(ShotRow.shape).filter((k) => k !== "samples");

export type ImportResult =
  | { ok: true; shots_added: number; shots_already_present: number }
  | { ok: false; code: "invalid_backup"; message: string };

/** A shot from a backup, checked: its record against the live limits, its sample blobs decoded and counted. */
export function checkShot(
  input: unknown,
): { ok: true; row: Omit<BackupShot, "samples">; blobs: Uint8Array[] } | { ok: false; message: string } {
  const parsed = ShotRow.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return { ok: false, message: `${i?.path.join(".") || "(shot)"}: ${i?.message}` };
  }
  const { samples, ...row } = parsed.data;
  const blobs = samples.map((x) => new Uint8Array(Buffer.from(x, "base64")));
  let n = 0;
  try {
    for (const c of blobs) n += decodeSamples(c).length;
  } catch (e) {
    return { ok: false, message: `shot ${row.id}: ${(e as Error).message}` };
  }
  if (n !== row.sample_count) return { ok: false, message: `shot ${row.id}: ${n} samples, the record says ${row.sample_count}` };
  return { ok: true, row, blobs };
}
export type BackupShot = Backup["shots"][number];

/** A profile from a backup, checked (its own id inside). */
export function checkProfile(p: Backup["profiles"][number]): string | null {
  try {
    const parsed = parseProfile(JSON.parse(p.json));
    if (parsed.id !== p.id) throw new ProfileError(`its id is "${parsed.id}"`);
    return null;
  } catch (e) {
    return `profile ${p.id}: ${(e as Error).message}`;
  }
}

/** Writes checked shots (call inside a transaction); shots already present are kept. Returns how many were added. */
export function writeShots(
  db: Database,
  shots: { row: Omit<BackupShot, "samples">; blobs: Uint8Array[] }[],
  bumpSeq: () => number,
): number {
  let added = 0;
  const exists = db.query<{ n: number }, { id: string }>("SELECT COUNT(*) AS n FROM shots WHERE id = $id");
  const insert = db.query(
    `INSERT INTO shots (${SHOT_COLUMNS.join(", ")}, server_seq) VALUES (${SHOT_COLUMNS.map((c) => `$${c}`).join(", ")}, $server_seq)`,
  );
  const sample = db.query("INSERT INTO shot_samples (shot_id, chunk, blob) VALUES ($id, $chunk, $blob)");
  for (const { row, blobs } of shots) {
    if ((exists.get({ id: row.id })?.n ?? 0) > 0) continue;
    insert.run({ ...row, server_seq: bumpSeq() } as Record<string, string | number | null>);
    blobs.forEach((blob, chunk) => {
      sample.run({ id: row.id, chunk, blob });
    });
    added++;
  }
  return added;
}

/**
 * Writes the rest of a backup (call inside a transaction): profiles (the newer copy wins),
 * maintenance, energy, and beans (merged field by field by their clocks, each value checked as a
 * phone's edit would be).
 */
export function writeExtras(
  db: Database,
  b: Pick<Backup, "profiles" | "maintenance" | "energy_days" | "beans">,
  bumpSeq: () => number,
): void {
  const beans = new BeanStore(db, bumpSeq);
  for (const bean of b.beans) {
    const values = bean.values as Record<string, unknown>;
    beans.apply(bean.id, Object.fromEntries(Object.entries(bean.clocks).map(([f, c]) => [f, [values[f] ?? null, c as string]])));
  }
  for (const p of b.profiles) {
    // The newer copy of a profile wins; an older backup never replaces an edit made since.
    db.query(
      "INSERT INTO profiles (id, json, updated_at_ms) VALUES ($id, $json, $t) ON CONFLICT (id) DO UPDATE SET json = $json, updated_at_ms = $t WHERE updated_at_ms < $t",
    ).run({ id: p.id, json: p.json, t: p.updated_at_ms });
  }
  for (const m of b.maintenance) {
    db.query(
      "INSERT INTO maintenance (kind, done_at_ms) VALUES ($kind, $t) ON CONFLICT (kind) DO UPDATE SET done_at_ms = max(done_at_ms, $t)",
    ).run({ kind: m.kind, t: m.done_at_ms });
  }
  for (const e of b.energy_days) {
    db.query(
      "INSERT INTO energy_days (day, wh, heating_s) VALUES ($day, $wh, $s) ON CONFLICT (day) DO UPDATE SET wh = max(wh, $wh), heating_s = max(heating_s, $s)",
    ).run({ day: e.day, wh: e.wh, s: e.heating_s });
  }
}

/** A version-1 backup (one JSON document): check everything (every sample blob too), then write it all in one transaction. */
export function importBackup(db: Database, input: unknown, bumpSeq: () => number): ImportResult {
  const parsed = Backup.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return { ok: false, code: "invalid_backup", message: `${i?.path.join(".") || "(backup)"}: ${i?.message}` };
  }
  const b = parsed.data;
  const shots: { row: Omit<BackupShot, "samples">; blobs: Uint8Array[] }[] = [];
  for (const s of b.shots) {
    const c = checkShot(s);
    if (!c.ok) return { ok: false, code: "invalid_backup", message: c.message };
    shots.push(c);
  }
  for (const p of b.profiles) {
    const problem = checkProfile(p);
    if (problem) return { ok: false, code: "invalid_backup", message: problem };
  }
  let added = 0;
  db.transaction(() => {
    writeExtras(db, b, bumpSeq);
    added = writeShots(db, shots, bumpSeq);
  })();
  return { ok: true, shots_added: added, shots_already_present: b.shots.length - added };
}
