/**
 * @module What visualizer.coffee makes of an uploaded file, by the rules of its own parsers
 * (miharekar/visualizer app/models/parsers/: base.rb's routing, decent_json.rb, sep_csv.rb,
 * beanconqueror.rb; the settings it keeps are Shot::EXTRA_DATA_METHODS): which parser a file goes
 * to, which series and settings it reads, and what it would miss. A test tool written from those
 * rules, not their code.
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
  parser: "DecentJson" | "Beanconqueror" | "DecentTcl" | "SepCsv" | "Gaggiuino" | "GaggiMate" | "Meticulous" | "none";
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
  if (file.startsWith("information_type")) return sepCsv(file, { ...view, parser: "SepCsv" });
  if (!file.startsWith("{")) return { ...view, problems: ["not a file any Visualizer parser takes"] };
  const json = JSON.parse(file) as Record<string, unknown>;
  // base.rb tries these keys in this order; the first that matches takes the file.
  if ("mill" in json || "brewFlow" in json) return beanconqueror(json, { ...view, parser: "Beanconqueror" });
  if ("datapoints" in json) return { ...view, parser: "Gaggiuino", problems: ["routed to the Gaggiuino parser"] };
  if ("samples" in json) return { ...view, parser: "GaggiMate", problems: ["routed to the GaggiMate parser"] };
  if ("profile_name" in json && "data" in json) return { ...view, parser: "Meticulous", problems: ["routed to the Meticulous parser"] };
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

/** RFC 4180 fields of one CSV line (quotes, doubled quotes; no line breaks inside fields). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cur += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (ch === "," && !quoted) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** sep_csv.rb: meta rows map to settings by their metatype, moment rows fill three series, resampled
 * on the step of the fullest one. */
function sepCsv(file: string, view: VisualizerView): VisualizerView {
  const MAPPING: Record<string, (typeof VISUALIZER_SETTINGS)[number]> = {
    Roastery: "bean_brand",
    Beans: "bean_type",
    Description: "bean_notes",
    "Roast Color": "roast_level",
    "Grinder Brand": "grinder_model",
    "Grinder Model": "grinder_model",
    "Grinder Setting": "grinder_setting",
    Dose: "bean_weight",
    Weight: "drink_weight",
    Tds: "drink_tds",
  };
  const [head, ...lines] = file.trim().split("\n");
  const cols = csvFields(head ?? "");
  const points: Record<string, number[]> = { espresso_weight: [], espresso_pressure: [], espresso_temperature_mix: [] };
  for (const line of lines) {
    const f = csvFields(line);
    const get = (name: string) => f[cols.indexOf(name)] ?? "";
    if (get("information_type") === "meta" && get("metadata") !== "") {
      const type = get("metatype");
      const key = MAPPING[type];
      if (key) view.settings[key] = get("metadata");
      else if (type === "Name") view.profileTitle = get("metadata");
      else if (type === "Date") view.startTime = Date.parse(get("metadata")) / 1000;
      else view.settings.espresso_notes = [view.settings.espresso_notes, `${type}: ${get("metadata")}`].filter(Boolean).join("\n");
    } else if (get("information_type") === "moment") {
      const t = Number(get("elapsed"));
      const c = get("comment");
      if (c === "sample: weight" && get("current_total_shot_weight") !== "") points.espresso_weight?.push(t);
      else if (c === "sample: pressure" && get("pressure") !== "") points.espresso_pressure?.push(t);
      else if (c === "sample: temperature" && get("water_temperature_in") !== "") points.espresso_temperature_mix?.push(t);
    }
  }
  const filled = Object.entries(points).filter(([, ts]) => ts.length > 0);
  if (filled.length === 0) return { ...view, problems: ["no moment rows: Visualizer has nothing to chart"] };
  const most = filled.reduce((a, b) => (b[1].length > a[1].length ? b : a))[1];
  const step = ((most.at(-1) ?? 0) - (most[0] ?? 0)) / most.length;
  const first = Math.min(...filled.map(([, ts]) => ts[0] ?? 0));
  const last = Math.max(...filled.map(([, ts]) => ts.at(-1) ?? 0));
  view.samples = step > 0 ? Math.floor((last - first) / step) + 1 : 1;
  for (const [name] of filled) view.series[name] = view.samples;
  if (points.espresso_weight?.length) view.series.espresso_flow_weight = view.samples;
  if (!view.profileTitle) view.problems.push("no Name row: the shot has no profile title");
  if (view.startTime === null || Number.isNaN(view.startTime)) view.problems.push("no Date row: Visualizer cannot date the shot");
  return view;
}

/** beanconqueror.rb: settings from bean, mill and brew; a series per brewFlow key with over one point,
 * sampled on the longest. */
function beanconqueror(json: Record<string, unknown>, view: VisualizerView): VisualizerView {
  for (const part of ["bean", "mill", "brew", "preparation", "brewFlow"])
    if (!json[part] || typeof json[part] !== "object") view.problems.push(`no ${part}: the parser fails on it`);
  if (view.problems.length) return view;
  view.startTime = Number(at(json, "brew", "config", "unix_timestamp")) || null;
  view.profileTitle = "Exported from Beanconqueror";
  const pick: [string, string, (typeof VISUALIZER_SETTINGS)[number]][] = [
    ["bean", "roaster", "bean_brand"],
    ["bean", "name", "bean_type"],
    ["bean", "roast", "roast_level"],
    ["bean", "roastingDate", "roast_date"],
    ["brew", "grind_size", "grinder_setting"],
    ["brew", "brew_beverage_quantity", "drink_weight"],
    ["brew", "grind_weight", "bean_weight"],
    ["mill", "name", "grinder_model"],
    ["brew", "note", "espresso_notes"],
  ];
  for (const [part, key, setting] of pick) {
    const v = at(json, part, key);
    if (v !== undefined && v !== "") view.settings[setting] = v;
  }
  const LABELS: Record<string, [string, string]> = {
    weight: ["espresso_weight", "actual_weight"],
    waterFlow: ["espresso_flow", "value"],
    realtimeFlow: ["espresso_flow_weight", "flow_value"],
    pressureFlow: ["espresso_pressure", "actual_pressure"],
    temperatureFlow: ["espresso_temperature_mix", "actual_temperature"],
  };
  const flow = json.brewFlow as Record<string, Record<string, unknown>[]>;
  const longest = Math.max(...Object.values(flow).map((v) => (Array.isArray(v) ? v.length : 0)));
  view.samples = longest;
  for (const [key, series] of Object.entries(flow)) {
    const label = LABELS[key];
    if (!label || !Array.isArray(series) || series.length <= 1) continue;
    if (series.some((d) => typeof d.timestamp !== "string" || Number.isNaN(Date.parse(`1970-01-01T${d.timestamp}Z`))))
      view.problems.push(`${key}: a timestamp Visualizer cannot parse`);
    if (series.some((d) => typeof d[label[1]] !== "number")) view.problems.push(`${key}: no numeric ${label[1]}`);
    view.series[label[0]] = longest;
  }
  return view;
}
