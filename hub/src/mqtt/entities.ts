/**
 * @module What BrewOS shows and offers in Home Assistant, in one table: each entity's component,
 * name, units and classes, where its value comes from in the state document, and — for the ones
 * people control — how a payload on its `…/set` topic becomes one of the hub's commands (the same
 * commands the app sends). Discovery configs, state and command handling are all built from it.
 */
import type { ApiCommand } from "../api/commands.ts";

/** The retained JSON document on `<base>/state` that every entity reads with a value template. */
export interface StateDoc {
  state: string;
  power: "ON" | "OFF";
  mode: "standby" | "brew" | "steam";
  ready: "ON" | "OFF";
  brewing: "ON" | "OFF";
  heating: "ON" | "OFF";
  water_low: "ON" | "OFF";
  alarm: "ON" | "OFF";
  alarm_name: string | null;
  eco: "ON" | "OFF";
  controller_connected: "ON" | "OFF";
  scale_connected: "ON" | "OFF";
  /** The hub's disk: ok, low (under the free-space threshold) or full (writes refused). */
  storage: "ok" | "low" | "full";
  storage_problem: "ON" | "OFF";
  brew_c: number;
  steam_c: number;
  brew_setpoint_c: number;
  steam_setpoint_c: number;
  pressure_bar: number;
  flow_ml_s: number;
  weight_g: number | null;
  shot_time_s: number | null;
  shots_today: number;
  shots_total: number;
  energy_today_kwh: number;
  heating_strategy: string;
  profile: string;
  target_weight_g: number;
}

export type Component = "sensor" | "binary_sensor" | "switch" | "button" | "number" | "select";

/** What a command payload means: a hub command, something the bridge keeps (next shot's target
 * weight and profile), the scale's tare, or a reason the payload is refused. */
export type Action =
  | { kind: "command"; command: ApiCommand }
  | { kind: "target_weight"; grams: number }
  | { kind: "profile"; name: string }
  | { kind: "start_shot" }
  | { kind: "tare" }
  | { kind: "refused"; message: string };

export interface Entity {
  key: string;
  component: Component;
  name: string;
  /** Field of the state document (sensors, binary sensors, switches, numbers, selects). */
  field?: keyof StateDoc;
  device_class?: string;
  unit?: string;
  state_class?: "measurement" | "total_increasing";
  icon?: string;
  entity_category?: "config" | "diagnostic";
  min?: number;
  max?: number;
  step?: number;
  /** Select options; for `profile` they come from the hub's profiles at publish time. */
  options?: readonly string[];
  command?: (payload: string, ctx: { profiles: readonly string[] }) => Action;
}

const onOff = (p: string): boolean | null => (p === "ON" ? true : p === "OFF" ? false : null);
const number = (p: string, lo: number, hi: number): number | null => {
  const n = Number(p.trim());
  return p.trim() !== "" && Number.isFinite(n) && n >= lo && n <= hi ? n : null;
};
const STRATEGIES = ["brew_only", "sequential", "parallel", "staggered"] as const;
const MODES = ["standby", "brew", "steam"] as const;

export const ENTITIES: readonly Entity[] = [
  {
    key: "brew_temperature",
    component: "sensor",
    name: "Brew temperature",
    field: "brew_c",
    device_class: "temperature",
    unit: "°C",
    state_class: "measurement",
  },
  {
    key: "steam_temperature",
    component: "sensor",
    name: "Steam temperature",
    field: "steam_c",
    device_class: "temperature",
    unit: "°C",
    state_class: "measurement",
  },
  {
    key: "pressure",
    component: "sensor",
    name: "Pressure",
    field: "pressure_bar",
    device_class: "pressure",
    unit: "bar",
    state_class: "measurement",
  },
  {
    key: "weight",
    component: "sensor",
    name: "Cup weight",
    field: "weight_g",
    device_class: "weight",
    unit: "g",
    state_class: "measurement",
  },
  {
    key: "flow",
    component: "sensor",
    name: "Flow",
    field: "flow_ml_s",
    unit: "mL/s",
    state_class: "measurement",
    icon: "mdi:water-outline",
  },
  {
    key: "shot_time",
    component: "sensor",
    name: "Shot time",
    field: "shot_time_s",
    device_class: "duration",
    unit: "s",
    state_class: "measurement",
  },
  { key: "shots_today", component: "sensor", name: "Shots today", field: "shots_today", state_class: "measurement", icon: "mdi:coffee" },
  {
    key: "shots_total",
    component: "sensor",
    name: "Shots total",
    field: "shots_total",
    state_class: "total_increasing",
    icon: "mdi:counter",
  },
  {
    key: "energy_today",
    component: "sensor",
    name: "Energy today",
    field: "energy_today_kwh",
    device_class: "energy",
    unit: "kWh",
    state_class: "total_increasing",
  },
  { key: "machine_state", component: "sensor", name: "State", field: "state", icon: "mdi:state-machine" },
  { key: "ready", component: "binary_sensor", name: "Ready", field: "ready", icon: "mdi:coffee-maker-check" },
  { key: "brewing", component: "binary_sensor", name: "Brewing", field: "brewing", device_class: "running" },
  { key: "heating", component: "binary_sensor", name: "Heating", field: "heating", device_class: "heat" },
  { key: "water_low", component: "binary_sensor", name: "Water low", field: "water_low", device_class: "problem" },
  { key: "alarm", component: "binary_sensor", name: "Alarm", field: "alarm", device_class: "problem" },
  {
    key: "controller_connected",
    component: "binary_sensor",
    name: "Controller connected",
    field: "controller_connected",
    device_class: "connectivity",
    entity_category: "diagnostic",
  },
  {
    key: "scale_connected",
    component: "binary_sensor",
    name: "Scale connected",
    field: "scale_connected",
    device_class: "connectivity",
    entity_category: "diagnostic",
  },
  {
    key: "storage_problem",
    component: "binary_sensor",
    name: "Hub storage problem",
    field: "storage_problem",
    device_class: "problem",
    entity_category: "diagnostic",
  },
  { key: "storage", component: "sensor", name: "Hub storage", field: "storage", entity_category: "diagnostic", icon: "mdi:harddisk" },
  {
    key: "power",
    component: "switch",
    name: "Power",
    field: "power",
    icon: "mdi:power",
    command: (p) => {
      const on = onOff(p);
      return on === null
        ? { kind: "refused", message: 'send "ON" or "OFF"' }
        : { kind: "command", command: { type: "set_mode", mode: on ? "brew" : "standby" } };
    },
  },
  {
    key: "eco",
    component: "switch",
    name: "Eco",
    field: "eco",
    icon: "mdi:leaf",
    command: (p) => {
      const on = onOff(p);
      return on === null ? { kind: "refused", message: 'send "ON" or "OFF"' } : { kind: "command", command: { type: "set_eco", on } };
    },
  },
  { key: "start_shot", component: "button", name: "Start shot", icon: "mdi:play", command: () => ({ kind: "start_shot" }) },
  {
    key: "stop_shot",
    component: "button",
    name: "Stop shot",
    icon: "mdi:stop",
    command: () => ({ kind: "command", command: { type: "stop_shot" } }),
  },
  { key: "tare", component: "button", name: "Tare scale", icon: "mdi:scale-balance", command: () => ({ kind: "tare" }) },
  {
    key: "backflush",
    component: "button",
    name: "Backflush",
    icon: "mdi:water-sync",
    command: () => ({ kind: "command", command: { type: "start_shot", profile_slot: 0, profile_id: "backflush", require_scale: false } }),
  },
  {
    key: "clear_fault",
    component: "button",
    name: "Clear fault",
    icon: "mdi:alert-remove",
    command: () => ({ kind: "command", command: { type: "clear_fault" } }),
  },
  {
    key: "brew_setpoint",
    component: "number",
    name: "Brew temperature target",
    field: "brew_setpoint_c",
    device_class: "temperature",
    unit: "°C",
    min: 85,
    max: 100,
    step: 0.5,
    command: (p) => {
      const c = number(p, 85, 100);
      return c === null
        ? { kind: "refused", message: "a temperature from 85 to 100 °C" }
        : { kind: "command", command: { type: "set_setpoints", brew_c: c } };
    },
  },
  {
    key: "steam_setpoint",
    component: "number",
    name: "Steam temperature target",
    field: "steam_setpoint_c",
    device_class: "temperature",
    unit: "°C",
    min: 110,
    max: 160,
    step: 1,
    command: (p) => {
      const c = number(p, 110, 160);
      return c === null
        ? { kind: "refused", message: "a temperature from 110 to 160 °C" }
        : { kind: "command", command: { type: "set_setpoints", steam_c: c } };
    },
  },
  {
    key: "target_weight",
    component: "number",
    name: "Target weight",
    field: "target_weight_g",
    device_class: "weight",
    unit: "g",
    min: 0,
    max: 200,
    step: 0.5,
    icon: "mdi:scale",
    command: (p) => {
      const g = number(p, 0, 200);
      return g === null
        ? { kind: "refused", message: "a weight from 0 to 200 g (0: no weight stop)" }
        : { kind: "target_weight", grams: g };
    },
  },
  {
    key: "mode",
    component: "select",
    name: "Mode",
    field: "mode",
    options: MODES,
    command: (p) =>
      (MODES as readonly string[]).includes(p)
        ? { kind: "command", command: { type: "set_mode", mode: p as (typeof MODES)[number] } }
        : { kind: "refused", message: `one of ${MODES.join(", ")}` },
  },
  {
    key: "heating_strategy",
    component: "select",
    name: "Heating strategy",
    field: "heating_strategy",
    options: STRATEGIES,
    entity_category: "config",
    command: (p) =>
      (STRATEGIES as readonly string[]).includes(p)
        ? { kind: "command", command: { type: "set_heating_strategy", strategy: p as (typeof STRATEGIES)[number] } }
        : { kind: "refused", message: `one of ${STRATEGIES.join(", ")}` },
  },
  {
    key: "profile",
    component: "select",
    name: "Profile",
    field: "profile",
    icon: "mdi:chart-bell-curve",
    command: (p, ctx) =>
      ctx.profiles.includes(p)
        ? { kind: "profile", name: p }
        : { kind: "refused", message: `one of the profiles: ${ctx.profiles.join(", ")}` },
  },
];

export const ENTITY_BY_KEY = new Map(ENTITIES.map((e) => [e.key, e]));
