/**
 * @module A shot as the Smart Espresso Profiler CSV that visualizer.coffee reads (its SepCsv parser):
 * a header `information_type,metatype,metadata,elapsed,comment,current_total_shot_weight,pressure,
 * water_temperature_in`, "meta" rows for what the shot was (Name, Date, Roastery, Dose, Weight,
 * Grinder Setting, other notes) and "moment" rows, one per sample and series ("sample: weight",
 * "sample: pressure", "sample: temperature").
 */
import type { SampleRow } from "@brewos/protocol/api";
import type { ShotRecord } from "../store/shot-store.ts";

const COLUMNS = [
  "information_type",
  "metatype",
  "metadata",
  "elapsed",
  "comment",
  "current_total_shot_weight",
  "pressure",
  "water_temperature_in",
];

/** One CSV field: quoted when it holds a comma, quote or line break. */
const field = (v: string | number | null | undefined) => {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

export function exportSepCsv(shot: ShotRecord, rows: readonly SampleRow[], profileTitle: string): string {
  const cup = shot.yield_g ?? shot.settled_weight_g ?? shot.final_weight_g;
  const meta: [string, string | number | null][] = [
    ["Name", profileTitle],
    ["Date", new Date(shot.started_at_ms).toISOString()],
    ["Roastery", shot.beans],
    ["Dose", shot.dose_g],
    ["Weight", cup],
    ["Grinder Setting", shot.grind],
    ["Rating", shot.rating === null ? null : `${shot.rating}/5`],
    ["Notes", shot.notes],
  ];
  const lines = [COLUMNS.join(",")];
  for (const [k, v] of meta) if (v !== null && v !== "") lines.push(["meta", k, v, "", "", "", "", ""].map(field).join(","));
  for (const r of rows) {
    if (r.weight_g !== null) lines.push(["moment", "", "", r.t_s, "sample: weight", r.weight_g, "", ""].map(field).join(","));
    lines.push(["moment", "", "", r.t_s, "sample: pressure", "", r.pressure_bar, ""].map(field).join(","));
    lines.push(["moment", "", "", r.t_s, "sample: temperature", "", "", r.brew_c].map(field).join(","));
  }
  return `${lines.join("\n")}\n`;
}
