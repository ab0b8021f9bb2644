/**
 * @module The controller's settings as people see them: the few they change often ("Everyday"),
 * the rest grouped under Advanced, each named in words and shown in their units — °C or °F for
 * temperatures (a temperature difference has no offset), seconds or minutes for milliseconds,
 * % for tenths of a percent, bar for millibar. The ranges come from the protocol table through
 * the hub, so the form refuses exactly what the controller would.
 */

import { t } from "../../i18n/i18n.ts";
import type { ControllerKey } from "../../shared/hub-api.ts";
import type { TempUnit } from "../../shared/units.ts";

export interface KeyView {
  key: ControllerKey;
  label: string;
  unit: string;
  /** Wire value → shown value, and back (rounded to the wire's integer). */
  shown: (wire: number) => number;
  wire: (shown: number) => number;
  step: number;
  /** A sentence that says what it does, for the everyday ones. */
  help?: string;
}

/** The settings an owner changes: named for what they do, in the unit they think in. */
export const EVERYDAY: Record<string, { label: string; help: string; unit?: "s" | "min" }> = {
  eco_setpoint_cdeg: { label: "Eco temperature", help: "The brew boiler waits at this temperature in eco." },
  eco_timeout_s: { label: "Eco after", help: "Idle this long, the machine goes to eco by itself.", unit: "min" },
  steam_auto_return_s: { label: "Steam back to brew after", help: "Steam mode ends by itself after this long.", unit: "min" },
  preinfusion_on_ms: { label: "Pre-infusion: pump on", help: "The machine default shot wets the puck this long first…", unit: "s" },
  preinfusion_pause_ms: { label: "Pre-infusion: pause", help: "…then waits this long before full pressure.", unit: "s" },
  pump_max_run_s: { label: "Longest pump run", help: "No shot or flush runs the pump longer than this." },
  backflush_cycles: { label: "Backflush cycles", help: "Pump on/off cycles of the Backflush program." },
};

/** Each setting in words (the generated label is a fallback for keys a newer controller adds). */
export const LABELS: Record<string, string> = {
  machine_type: "Machine type",
  brew_kp_milli: "Brew boiler PID: Kp",
  brew_ki_milli: "Brew boiler PID: Ki",
  brew_kd_milli: "Brew boiler PID: Kd",
  steam_kp_milli: "Steam boiler PID: Kp",
  steam_ki_milli: "Steam boiler PID: Ki",
  steam_kd_milli: "Steam boiler PID: Kd",
  brew_heater_w: "Brew heater power",
  steam_heater_w: "Steam heater power",
  mains_voltage_v: "Mains voltage",
  mains_current_limit_ma: "Mains current limit",
  brew_max_cdeg: "Brew boiler limit",
  steam_max_cdeg: "Steam boiler limit",
  brew_ntc_r25_ohm: "Brew sensor: resistance at 25 °C",
  brew_ntc_beta_k: "Brew sensor: beta",
  brew_ntc_pullup_ohm: "Brew sensor: pull-up resistor",
  brew_temp_offset_cdeg: "Brew temperature correction",
  steam_ntc_r25_ohm: "Steam sensor: resistance at 25 °C",
  steam_ntc_beta_k: "Steam sensor: beta",
  steam_ntc_pullup_ohm: "Steam sensor: pull-up resistor",
  steam_temp_offset_cdeg: "Steam temperature correction",
  pressure_zero_pmil: "Pressure sensor: reading at 0 bar",
  pressure_full_pmil: "Pressure sensor: reading at full scale",
  pressure_full_mbar: "Pressure sensor: full scale",
  ready_band_cdeg: "Ready within",
  heating_watch_rise_cdeg: "Heating watch: least rise",
  heating_watch_window_s: "Heating watch: within",
  link_weight_timeout_ms: "Scale silence before a shot falls back to volume",
  link_heater_timeout_ms: "Hub silence before the heaters go off",
  steam_fill_timeout_s: "Steam boiler fill limit",
  valve_release_ms: "Valve release after a shot",
  cleaning_threshold_shots: "Cleaning reminder after",
  brew_count_shots: "Shots counted",
  duty_cap_pmil: "Heater power cap",
  setpoint_ramp_cdeg_s: "Setpoint ramp",
  hx_control_pressure: "HX: control by pressure",
  hx_pressure_setpoint_mbar: "HX: boiler pressure",
  brew_feedforward_pmil_per_mls: "Brew heater feed-forward per flow",
  flow_meter_ul_per_pulse: "Flow meter: volume per pulse",
  fill_heat_budget: "Share heater power while filling",
  bbw_stop_lag_ms: "Brew-by-weight: stop lag",
  bbw_drip_ms: "Brew-by-weight: drip time",
  pump_q0_ul_s: "Pump model: flow at 0 bar",
  pump_q9_ul_s: "Pump model: flow at 9 bar",
  pump_max_mbar: "Pump model: no flow above",
  line_compliance_ul_bar: "Line compliance",
  brew_boiler_j_per_k: "Brew boiler heat capacity",
  steam_boiler_j_per_k: "Steam boiler heat capacity",
  ssr_min_on_ms: "Shortest heater pulse",
};

export const GROUPS: [string, RegExp][] = [
  ["Temperatures", /(_max_cdeg|eco_|ready_band|setpoint_ramp|temp_offset)/],
  ["Power and mains", /(heater_w|mains_|duty_cap|ssr_min)/],
  ["Brewing", /(preinfusion|bbw_|valve_release|pump_max_run|steam_auto_return|backflush|cleaning|brew_count|feedforward|fill_heat)/],
  ["PID", /_k[pid]_milli$/],
  ["Sensors", /(ntc|pressure_|flow_meter|heating_watch|boiler_j_per_k)/],
  ["Pump model", /(pump_q|pump_max_mbar|line_compliance)/],
  ["Heat exchanger and steam", /(hx_|steam_fill)/],
];

function label(name: string): string {
  const words = name
    .replace(/_(cdeg|cdeg_s|ms|s|w|v|ma|ohm|k|pmil|mbar|milli|shots|ul_s|ul_bar|pmil_per_mls|j_per_k)$/, "")
    .replaceAll("_", " ")
    .replace(/ boiler$/, " boiler heat capacity")
    .replace(/^(\w+ )?ssr min on$/, (_m, b: string | undefined) => `Shortest ${b ?? ""}heater pulse`)
    .replace(/\bssr\b/, "heater switch")
    .replace(/\bntc\b/, "NTC")
    .replace(/\bhx\b/, "HX")
    .replace(/\bbbw\b/, "brew-by-weight")
    .replace(/\bk([pid])\b/, (_m, t: string) => `K${t}`);
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const scaled = (scale: number) => ({ shown: (w: number) => w / scale, wire: (v: number) => Math.round(v * scale) });

/** Absolute temperatures (a limit, the eco setpoint); the other °C keys are differences. */
const ABSOLUTE_TEMP = /(_max_cdeg|_setpoint_cdeg)$/;

export function view(key: ControllerKey, temp: TempUnit = "C"): KeyView {
  const everyday = EVERYDAY[key.name];
  const english = everyday?.label ?? LABELS[key.name];
  const base = { key, label: english ? t(english) : label(key.name), ...(everyday ? { help: t(everyday.help) } : {}) };
  const f = temp === "F";
  if (key.unit === "cdegC" && ABSOLUTE_TEMP.test(key.name))
    return {
      ...base,
      unit: `°${temp}`,
      step: f ? 1 : 0.5,
      shown: (w) => (f ? Math.round(((w / 100) * 9) / 5 + 32) : w / 100),
      wire: (v) => Math.round((f ? ((v - 32) * 5) / 9 : v) * 100),
    };
  if (key.unit === "cdegC") return { ...base, unit: `°${temp}`, step: 0.1, ...scaled(f ? 100 / 1.8 : 100) };
  if (key.unit === "cdegC/s") return { ...base, unit: `°${temp}/s`, step: 0.1, ...scaled(f ? 100 / 1.8 : 100) };
  if (everyday?.unit === "min") return { ...base, unit: "min", step: 1, ...scaled(key.unit === "ms" ? 60_000 : 60) };
  if (everyday?.unit === "s" && key.unit === "ms") return { ...base, unit: "s", step: 0.1, ...scaled(1000) };
  if (key.unit.startsWith("J/K")) return { ...base, unit: "J/K", step: 10, ...scaled(1) };
  if (key.unit === "bool") return { ...base, unit: "", step: 1, ...scaled(1) };
  // People's units for the protocol's integer ones: tenths of a percent as %, millibar as bar.
  if (key.unit === "permille") return { ...base, unit: "%", step: 0.1, ...scaled(10) };
  if (key.unit === "mbar") return { ...base, unit: "bar", step: 0.01, ...scaled(1000) };
  return { ...base, unit: key.unit, step: 1, ...scaled(1) };
}

/** "Everyday" first (the few an owner changes), then the advanced groups. */
export function grouped(keys: ControllerKey[], temp: TempUnit = "C"): [string, KeyView[]][] {
  const out = new Map<string, KeyView[]>();
  for (const k of keys) {
    const g = EVERYDAY[k.name] ? "Everyday" : (GROUPS.find(([, re]) => re.test(k.name))?.[0] ?? "Other");
    out.set(g, [...(out.get(g) ?? []), view(k, temp)]);
  }
  return ["Everyday", ...GROUPS.map(([g]) => g), "Other"].filter((g) => out.has(g)).map((g) => [g, out.get(g) as KeyView[]]);
}

const round = (v: number) => Math.round(v * 100) / 100;

/** The person's text for a key → the wire value, or why not (the range in their unit). */
export function parseValue(v: KeyView, text: string): { ok: true; value: number } | { ok: false; message: string } {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n)) return { ok: false, message: "enter a number" };
  const wire = v.wire(n);
  const lo = round(v.shown(v.key.min));
  const hi = round(v.shown(v.key.max));
  if (wire < v.key.min || wire > v.key.max) return { ok: false, message: `must be from ${lo} to ${hi}${v.unit ? ` ${v.unit}` : ""}` };
  return { ok: true, value: wire };
}

/** The value in force, as shown. */
export function shownValue(v: KeyView): string {
  return String(round(v.shown(v.key.value)));
}
