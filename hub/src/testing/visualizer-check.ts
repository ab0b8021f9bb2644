/**
 * @module What visualizer.coffee makes of an uploaded file, by the rules of its own parsers
 * (miharekar/visualizer app/models/parsers/main.rb and decent_json.rb; the settings it keeps are
 * Shot::EXTRA_DATA_METHODS): which parser a file goes to, which series and settings it reads, and
 * what it would miss. A test tool written from those rules, not their code.
 */

/** The shot settings Visualizer keeps from a Decent JSON file's app.data.settings. */
export const VISUALIZER_SETTINGS = [
  "drink_weight",
  "grinder_model",
  "grinder_setting",
  "bean_brand",
  "bean_type",
  "roast_level",
  "roast_date",
  "drink_tds",
  "drink_ey",
  "espresso_enjoyment",
  "espresso_notes",
  "bean_notes",
  "bean_weight",
] as const;

export interface VisualizerView {
  parser: "DecentJson" | "Beanconqueror" | "DecentTcl" | "SepCsv" | "none";
  startTime: number | null;
  samples: number;
  /** Series Visualizer charts, by its names, with their lengths. */
  series: Record<string, number>;
  settings: Partial<Record<(typeof VISUALIZER_SETTINGS)[number], unknown>>;
  profileTitle: string | null;
  /** Steps in the profile sent along (what "download profile" gives). */
  profileSteps: number;
  problems: string[];
}

const at = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), o);

export function visualizerView(file: string): VisualizerView {
  const view: VisualizerView = {
    parser: "none",
    startTime: null,
    samples: 0,
    series: {},
    settings: {},
    profileTitle: null,
    profileSteps: 0,
    problems: [],
  };
  if (file.startsWith("clock") || file.startsWith("sequence_id")) return { ...view, parser: "DecentTcl" };
  if (file.startsWith("information_type")) return { ...view, parser: "SepCsv" };
  if (!file.startsWith("{")) return { ...view, problems: ["not a file any Visualizer parser takes"] };
  const json = JSON.parse(file) as Record<string, unknown>;
  if ("mill" in json) return { ...view, parser: "Beanconqueror", problems: ["routed to the Beanconqueror parser"] };
  view.parser = "DecentJson";
  view.startTime = Number(json.timestamp) || null;
  const elapsed = Array.isArray(json.elapsed) ? json.elapsed : [];
  view.samples = elapsed.length;
  const take = (name: string, v: unknown) => {
    if (!Array.isArray(v) || v.length === 0) return;
    view.series[name] = v.length;
    if (v.length !== elapsed.length) view.problems.push(`${name}: ${v.length} values for ${elapsed.length} times`);
  };
  for (const key of ["pressure", "flow"]) {
    take(`espresso_${key}`, at(json, key, key));
    take(`espresso_${key}_weight`, at(json, key, "by_weight"));
    take(`espresso_${key}_goal`, at(json, key, "goal"));
  }
  for (const k of ["basket", "mix", "goal", "mix_goal"]) take(`espresso_temperature_${k}`, at(json, "temperature", k));
  take("espresso_weight", at(json, "totals", "weight"));
  take("espresso_water_dispensed", at(json, "totals", "water_dispensed"));
  take("espresso_state_change", json.state_change);
  const settings = at(json, "app", "data", "settings");
  if (!settings || typeof settings !== "object")
    view.problems.push("no app.data.settings: dose, yield, beans, grind, rating and notes are lost");
  for (const k of VISUALIZER_SETTINGS) {
    const v = (settings as Record<string, unknown> | undefined)?.[k];
    if (v !== undefined) view.settings[k] = v;
  }
  const title = at(json, "profile", "title");
  view.profileTitle = typeof title === "string" ? title : null;
  if (!view.profileTitle) view.problems.push("no profile.title");
  // Visualizer keeps the profile as sent and offers it for download (as .json, .tcl or .csv).
  const steps = at(json, "profile", "steps");
  view.profileSteps = Array.isArray(steps) ? steps.length : 0;
  return view;
}
