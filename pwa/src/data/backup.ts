/**
 * @module This device's shot log as a file, and back. Export: every shot with its values and field
 * clocks (JSON), or a CSV for spreadsheets. Import merges by the same per-field rule as sync, so an
 * older file never replaces newer data; what the file brings that is newer goes to the outbox, so
 * the hub gets it too (hand-logged shots it has never seen are created there).
 */
import { type EditableField, mergeRow, type SyncRow } from "@brewos/protocol/sync";
import type { BrewosDb, LocalShot } from "./db.ts";
import { yieldOf } from "./samples.ts";

export const APP_BACKUP_FORMAT = "brewos-app-shots";

export interface AppBackup {
  format: typeof APP_BACKUP_FORMAT;
  version: 1;
  exported_at_ms: number;
  shots: LocalShot[];
}

export async function exportJson(db: BrewosDb, now = Date.now()): Promise<AppBackup> {
  return { format: APP_BACKUP_FORMAT, version: 1, exported_at_ms: now, shots: await db.shots.orderBy("started_at_ms").toArray() };
}

const CSV_HEADER = [
  "started_at",
  "duration_s",
  "dose_g",
  "yield_g",
  "ratio",
  "rating",
  "beans",
  "grind",
  "notes",
  "stop_reason",
  "source",
  "id",
];

function cell(v: unknown): string {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export async function exportCsv(db: BrewosDb): Promise<string> {
  const rows = (await db.shots.orderBy("started_at_ms").toArray()).filter((s) => !s.values.deleted);
  const lines = rows.map((s) => {
    const y = yieldOf(s);
    const ratio = y && s.values.dose_g ? (y / s.values.dose_g).toFixed(2) : "";
    return [
      new Date(s.started_at_ms).toISOString(),
      s.duration_ms === null ? "" : s.duration_ms / 1000,
      s.values.dose_g,
      y,
      ratio,
      s.values.rating,
      s.values.beans,
      s.values.grind,
      s.values.notes,
      s.stop_reason,
      s.source,
      s.id,
    ]
      .map(cell)
      .join(",");
  });
  return `${[CSV_HEADER.join(","), ...lines].join("\n")}\n`;
}

export type ImportResult = { ok: true; added: number; updated: number; unchanged: number } | { ok: false; message: string };

function check(raw: unknown): AppBackup | string {
  const b = raw as Partial<AppBackup> | null;
  if (!b || typeof b !== "object") return "not a BrewOS shot backup";
  if (b.format !== APP_BACKUP_FORMAT) return `not a BrewOS shot backup (format ${String(b.format)})`;
  if (b.version !== 1) return `backup version ${String(b.version)} is newer than this app`;
  if (!Array.isArray(b.shots)) return "the backup has no shots";
  for (const [i, s] of b.shots.entries()) {
    if (typeof s?.id !== "string" || typeof s.started_at_ms !== "number" || typeof s.values !== "object" || typeof s.clocks !== "object")
      return `shot ${i + 1} is incomplete`;
  }
  return b as AppBackup;
}

/** Merge a backup file into this device; nothing is written unless the whole file is readable. */
export async function importJson(db: BrewosDb, text: string): Promise<ImportResult> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, message: "the file is not JSON" };
  }
  const b = check(raw);
  if (typeof b === "string") return { ok: false, message: b };
  let added = 0;
  let updated = 0;
  let unchanged = 0;
  await db.transaction("rw", [db.shots, db.outbox], async () => {
    const mine = await db.shots.bulkGet(b.shots.map((s) => s.id));
    for (const [i, s] of b.shots.entries()) {
      const local = mine[i];
      const merged = mergeRow(local ? { values: local.values, clocks: local.clocks } : null, s);
      // Fields whose clock moved are news for the hub as well.
      const fields: Record<string, [unknown, string]> = {};
      for (const [f, c] of Object.entries(merged.clocks)) {
        if (c && c !== local?.clocks[f as EditableField]) fields[f] = [merged.values[f as EditableField], c];
      }
      if (!local) added++;
      else if (Object.keys(fields).length > 0) updated++;
      else {
        unchanged++;
        continue;
      }
      await db.shots.put({ ...(local ?? s), values: { ...s.values, ...merged.values } as SyncRow["values"], clocks: merged.clocks });
      if (Object.keys(fields).length > 0 || (!local && s.source === "manual"))
        await db.outbox.add({
          shot_id: s.id,
          fields,
          ...(!local && s.source === "manual"
            ? {
                create: {
                  started_at_ms: s.started_at_ms,
                  duration_ms: s.duration_ms,
                  ...(s.weight_curve ? { weight_curve: s.weight_curve } : {}),
                },
              }
            : {}),
        });
    }
  });
  return { ok: true, added, updated, unchanged };
}
