/** A shot exported for Visualizer (Decent JSON with goal lines and the whole profile, or SEP CSV) and
 * for Beanconqueror reads, by those parsers' rules, with nothing lost. */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SampleRow } from "@brewos/protocol/api";
import { visualizerView } from "../testing/visualizer-check.ts";
import { exportVisualizer, sampleRows } from "./export.ts";
import { exportBeanconqueror } from "./export-beanconqueror.ts";
import { exportSepCsv } from "./export-sep-csv.ts";
import { goalSeries } from "./goals.ts";

const profileJson = readFileSync(join(import.meta.dir, "../../../protocol/profile/bundled/lever-decline.json"), "utf8");
const profile = JSON.parse(profileJson) as { phases: { mode: string; to: number }[] };

const row = (t_s: number, phase: number | null, pressure_bar: number): SampleRow => ({
  t_s,
  brew_c: 93,
  group_c: 92,
  pressure_bar,
  flow_ml_s: 2,
  volume_ml: t_s * 2,
  pump_pct: 50,
  weight_g: t_s,
  phase,
});

test("goals follow each phase's ramp from where it began; the quantity a phase does not control is −1", () => {
  const rows = [row(0, 0, 0), row(0.5, 0, 1), row(10, 1, 8.8), row(20, 1, 7), row(30, 2, 6)];
  const g = goalSeries(profileJson, rows);
  expect(g).not.toBeNull();
  expect(g?.pressure.length).toBe(rows.length);
  const last = profile.phases.at(-1);
  for (const [i, r] of rows.entries()) {
    const ph = profile.phases[r.phase ?? 0];
    if (ph?.mode === "pressure") expect(g?.flow[i]).toBe(-1);
  }
  if (last?.mode === "pressure") expect(g?.pressure.at(-1)).toBeGreaterThan(0);
  expect(goalSeries(null, rows)).toBeNull();
  expect(goalSeries("{nope", rows)).toBeNull();
});

const samples = Array.from({ length: 30 }, (_, i) => ({
  t_ms: i * 1000,
  brew_cdeg: 9300,
  group_cdeg: 9200,
  pressure_mbar: Math.min(9000, i * 1000),
  flow_ul_s: 2000,
  volume_ul: i * 2000,
  pump_pmil: 500,
  weight_dg: i * 10,
  phase: Math.min(2, Math.floor(i / 10)),
}));
const shotFields = {
  id: "s1",
  started_at_ms: Date.UTC(2026, 11, 1),
  profile_json: profileJson,
  dose_g: 18,
  yield_g: 36,
  rating: 4,
  notes: "sweet, clean",
  beans: "Kenya AA",
  grind: "9",
  duration_ms: 30000,
  settled_weight_g: 36,
  final_weight_g: 36,
};
// biome-ignore lint/suspicious/noExplicitAny: a ShotRecord's other fields do not matter to the exports
const shot = shotFields as any;
// biome-ignore lint/suspicious/noExplicitAny: the codec's Sample fields, as the store gives them
const rows = sampleRows(samples as any);

test("Visualizer's parser rules see goal series of every sample and the profile's steps", () => {
  // biome-ignore lint/suspicious/noExplicitAny: as above
  const seen = visualizerView(exportVisualizer(shot, samples as any, { name: "BrewOS", version: "test" }));
  console.log(`visualizer checker (profiled shot): ${JSON.stringify({ ...seen, settings: Object.keys(seen.settings) })}`);
  expect(seen.problems).toEqual([]);
  for (const s of ["espresso_pressure_goal", "espresso_flow_goal", "espresso_temperature_goal"]) expect(seen.series[s]).toBe(30);
  expect(seen.profileSteps).toBeGreaterThanOrEqual(profile.phases.length);
});

test("the SEP CSV goes to Visualizer's SepCsv parser with dose, yield, beans, grind, title and date", () => {
  const seen = visualizerView(exportSepCsv(shot, rows, "Lever decline"));
  console.log(`visualizer checker (SEP CSV): ${JSON.stringify(seen)}`);
  expect(seen.parser).toBe("SepCsv");
  expect(seen.problems).toEqual([]);
  expect(seen.settings).toMatchObject({ bean_weight: "18", drink_weight: "36", bean_brand: "Kenya AA", grinder_setting: "9" });
  expect(seen.profileTitle).toBe("Lever decline");
  for (const s of ["espresso_weight", "espresso_pressure", "espresso_temperature_mix", "espresso_flow_weight"])
    expect(seen.series[s]).toBeGreaterThanOrEqual(29);
});

test("the Beanconqueror export goes to Visualizer's Beanconqueror parser with its settings and five series", () => {
  const seen = visualizerView(exportBeanconqueror(shot, rows, "Lever decline"));
  expect(seen.parser).toBe("Beanconqueror");
  expect(seen.problems).toEqual([]);
  expect(seen.settings).toMatchObject({
    bean_type: "Kenya AA",
    grinder_setting: "9",
    drink_weight: 36,
    bean_weight: 18,
    espresso_notes: "sweet, clean",
  });
  expect(Object.keys(seen.series).sort()).toEqual([
    "espresso_flow",
    "espresso_flow_weight",
    "espresso_pressure",
    "espresso_temperature_mix",
    "espresso_weight",
  ]);
});
