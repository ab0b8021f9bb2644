/**
 * @module The controller's settings as people see them: grouped, named, and in their units
 * (hundredths of a degree shown as °C). The ranges come from the protocol table through the hub,
 * so the form refuses exactly what the controller would.
 */
import type { ControllerKey } from "../../shared/hub-api.ts";

export interface KeyView {
  key: ControllerKey;
  label: string;
  unit: string;
  /** Wire value → shown value, and back. */
  scale: number;
  step: number;
}

const GROUPS: [string, RegExp][] = [
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

export function view(key: ControllerKey): KeyView {
  if (key.unit === "cdegC") return { key, label: label(key.name), unit: "°C", scale: 100, step: 0.1 };
  if (key.unit === "cdegC/s") return { key, label: label(key.name), unit: "°C/s", scale: 100, step: 0.1 };
  if (key.unit.startsWith("J/K")) return { key, label: label(key.name), unit: "J/K", scale: 1, step: 10 };
  if (key.unit === "bool") return { key, label: label(key.name), unit: "", scale: 1, step: 1 };
  // People's units for the protocol's integer ones: tenths of a percent as %, millibar as bar.
  if (key.unit === "permille") return { key, label: label(key.name), unit: "%", scale: 10, step: 0.1 };
  if (key.unit === "mbar") return { key, label: label(key.name), unit: "bar", scale: 1000, step: 0.01 };
  return { key, label: label(key.name), unit: key.unit, scale: 1, step: 1 };
}

export function grouped(keys: ControllerKey[]): [string, KeyView[]][] {
  const out = new Map<string, KeyView[]>();
  for (const k of keys) {
    const g = GROUPS.find(([, re]) => re.test(k.name))?.[0] ?? "Other";
    out.set(g, [...(out.get(g) ?? []), view(k)]);
  }
  return [...GROUPS.map(([g]) => g), "Other"].filter((g) => out.has(g)).map((g) => [g, out.get(g) as KeyView[]]);
}

/** The person's text for a key → the wire value, or why not. */
export function parseValue(v: KeyView, text: string): { ok: true; value: number } | { ok: false; message: string } {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n)) return { ok: false, message: "enter a number" };
  const wire = Math.round(n * v.scale);
  const lo = v.key.min / v.scale;
  const hi = v.key.max / v.scale;
  if (wire < v.key.min || wire > v.key.max) return { ok: false, message: `must be from ${lo} to ${hi}${v.unit ? ` ${v.unit}` : ""}` };
  return { ok: true, value: wire };
}
