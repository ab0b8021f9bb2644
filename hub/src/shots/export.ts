/**
 * @module One shot as a file: our JSON (record + samples in people's units), CSV (one row per
 * sample), and Decent's JSON v2 shot, which visualizer.coffee and other tools import
 * (field names from peers.md §4.1–4.2).
 */
import type { SampleRow } from "@brewos/protocol/api";
import { parseProfile, toDecentJson } from "@brewos/protocol/profile";
import { bar, celsius, grams, ml, mlPerS, percent, round } from "../machine/units.ts";
import type { Sample } from "../store/samples-codec.ts";
import type { ShotRecord } from "../store/shot-store.ts";
import { goalSeries } from "./goals.ts";

export { SHOT_EXPORT_FORMATS as EXPORT_FORMATS, type ShotExportFormat as ExportFormat } from "@brewos/protocol/api";

export type { SampleRow };

export function sampleRows(samples: readonly Sample[]): SampleRow[] {
  return samples.map((s) => ({
    t_s: round(s.t_ms / 1000, 3),
    brew_c: celsius(s.brew_cdeg),
    group_c: celsius(s.group_cdeg),
    pressure_bar: bar(s.pressure_mbar),
    flow_ml_s: mlPerS(s.flow_ul_s),
    volume_ml: ml(s.volume_ul),
    pump_pct: percent(s.pump_pmil),
    weight_g: s.weight_dg === 0 ? null : grams(s.weight_dg),
    phase: s.phase === 255 ? null : s.phase,
  }));
}

/** Ours. Version 2 names the samples `points`: a top-level `samples` routes a file to
 * visualizer.coffee's GaggiMate parser, which would misread it. */
export function exportJson(shot: ShotRecord, samples: readonly Sample[]): string {
  return JSON.stringify({ format: "brewos-shot", version: 2, shot, points: sampleRows(samples) });
}

/** The shot's profile name, for files that carry one. */
export function profileTitleOf(shot: ShotRecord): string {
  if (!shot.profile_json) return "BrewOS";
  try {
    return (JSON.parse(shot.profile_json) as { name?: string }).name ?? "BrewOS profile";
  } catch {
    return "BrewOS profile";
  }
}

const CSV_COLUMNS: (keyof SampleRow)[] = [
  "t_s",
  "brew_c",
  "group_c",
  "pressure_bar",
  "flow_ml_s",
  "volume_ml",
  "pump_pct",
  "weight_g",
  "phase",
];

export function exportCsv(samples: readonly Sample[]): string {
  const rows = sampleRows(samples).map((s) => CSV_COLUMNS.map((c) => (s[c] === null ? "" : String(s[c]))).join(","));
  return `${CSV_COLUMNS.join(",")}\n${rows.join("\n")}\n`;
}

export function exportVisualizer(shot: ShotRecord, samples: readonly Sample[], app: { name: string; version: string }): string {
  const rows = sampleRows(samples);
  const clock = Math.floor(shot.started_at_ms / 1000);
  const weights = rows.map((s) => s.weight_g ?? 0);
  const byWeight = rows.map((s, i) => {
    const prev = rows[i - 1];
    if (!prev || s.t_s === prev.t_s) return 0;
    return round(((weights[i] ?? 0) - (weights[i - 1] ?? 0)) / (s.t_s - prev.t_s), 2);
  });
  const cup = shot.yield_g ?? shot.settled_weight_g ?? shot.final_weight_g;
  const profileTitle = profileTitleOf(shot);
  const goals = goalSeries(shot.profile_json, rows);
  return JSON.stringify({
    version: "2",
    clock,
    timestamp: clock,
    date: new Date(shot.started_at_ms).toISOString(),
    elapsed: rows.map((s) => s.t_s),
    pressure: { pressure: rows.map((s) => s.pressure_bar), goal: goals?.pressure ?? [] },
    flow: { flow: rows.map((s) => s.flow_ml_s), by_weight: byWeight, goal: goals?.flow ?? [] },
    temperature: { basket: rows.map((s) => s.group_c), mix: rows.map((s) => s.brew_c), goal: goals?.temperature ?? [] },
    // de1app writes the water in units of 10 ml; Visualizer charts it that way.
    totals: { weight: weights, water_dispensed: rows.map((s) => round(s.volume_ml / 10, 2)) },
    // A step each time the phase changes (Visualizer draws a line where the value flips).
    state_change: stateChanges(rows.map((s) => s.phase)),
    // The whole profile as Decent JSON v2 steps (Visualizer's "download profile"), ours beside it.
    profile: {
      ...decentProfile(shot.profile_json),
      title: profileTitle,
      ...(shot.profile_json ? { brewos: JSON.parse(shot.profile_json) } : {}),
    },
    // Where Visualizer's Decent JSON parser reads a shot's settings (app.data.settings).
    app: {
      app_name: app.name,
      app_version: app.version,
      data: {
        settings: {
          bean_weight: shot.dose_g === null ? "" : String(shot.dose_g),
          drink_weight: cup === null ? "" : String(cup),
          bean_brand: shot.beans ?? "",
          bean_type: "",
          bean_notes: "",
          roast_date: "",
          roast_level: "",
          grinder_model: "",
          grinder_setting: shot.grind ?? "",
          espresso_enjoyment: shot.rating === null ? "0" : String(shot.rating * 20),
          espresso_notes: shot.notes ?? "",
          drink_tds: "0",
          drink_ey: "0",
          profile_title: profileTitle,
        },
      },
    },
    meta: {
      in: shot.dose_g,
      out: cup,
      time: shot.duration_ms === null ? null : round(shot.duration_ms / 1000, 1),
      bean: { brand: shot.beans ?? "", type: "", notes: "" },
      grinder: { model: "", setting: shot.grind ?? "" },
      shot: { enjoyment: shot.rating === null ? 0 : shot.rating * 20, notes: shot.notes ?? "" },
    },
  });
}

function decentProfile(profileJson: string | null): Record<string, unknown> {
  try {
    return toDecentJson(parseProfile(JSON.parse(profileJson ?? "null"))).result;
  } catch {
    return {};
  }
}

/** de1app's state_change series: a value that flips between 0 and 10 000 000 at each phase change. */
export function stateChanges(phases: readonly (number | null)[]): number[] {
  let level = 0;
  return phases.map((p, i) => {
    if (i > 0 && p !== phases[i - 1]) level = level === 0 ? 10_000_000 : 0;
    return level;
  });
}
