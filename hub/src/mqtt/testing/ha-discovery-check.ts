/**
 * Test helper: checks a discovery config as Home Assistant's MQTT integration reads it, from facts
 * in HA's own sources — `mqtt/abbreviations.py` (short keys expand first), each platform's discovery
 * schema (`mqtt/sensor.py` and siblings: unknown keys are silently dropped, `extra=REMOVE_EXTRA`,
 * so one is a setting that never took effect), `sensor/const.py` (`DEVICE_CLASS_UNITS`,
 * `DEVICE_CLASS_STATE_CLASSES`), the sensor validator (options only for `enum`, `last_reset` only
 * with `total`), and the device registry (identifiers or connections). Returns what is wrong.
 */

/** HA's abbreviations for the keys any of our platforms may use (mqtt/abbreviations.py). */
const ABBREVIATIONS: Record<string, string> = {
  avty: "availability",
  avty_mode: "availability_mode",
  avty_t: "availability_topic",
  avty_tpl: "availability_template",
  cmd_t: "command_topic",
  cmd_tpl: "command_template",
  dev: "device",
  dev_cla: "device_class",
  en: "enabled_by_default",
  ent_cat: "entity_category",
  ent_pic: "entity_picture",
  e: "encoding",
  exp_aft: "expire_after",
  frc_upd: "force_update",
  ic: "icon",
  json_attr_t: "json_attributes_topic",
  json_attr_tpl: "json_attributes_template",
  lrst_val_tpl: "last_reset_value_template",
  max: "max",
  min: "min",
  mode: "mode",
  obj_id: "object_id",
  ops: "options",
  opt: "optimistic",
  pl_avail: "payload_available",
  pl_not_avail: "payload_not_available",
  pl_off: "payload_off",
  pl_on: "payload_on",
  pl_prs: "payload_press",
  pl_rst: "payload_reset",
  qos: "qos",
  ret: "retain",
  stat_cla: "state_class",
  stat_off: "state_off",
  stat_on: "state_on",
  stat_t: "state_topic",
  stat_tpl: "state_template",
  step: "step",
  sug_dsp_prc: "suggested_display_precision",
  uniq_id: "unique_id",
  unit_of_meas: "unit_of_measurement",
  val_tpl: "value_template",
  o: "origin",
};
const DEVICE_ABBREVIATIONS: Record<string, string> = {
  cns: "connections",
  cu: "configuration_url",
  hw: "hw_version",
  ids: "identifiers",
  mdl: "model",
  mdl_id: "model_id",
  mf: "manufacturer",
  sa: "suggested_area",
  sn: "serial_number",
  sw: "sw_version",
  via_device: "via_device",
  name: "name",
};

/** MQTT_ENTITY_COMMON_SCHEMA and the availability schema: keys every platform accepts. */
const COMMON = [
  "availability",
  "availability_mode",
  "availability_template",
  "availability_topic",
  "payload_available",
  "payload_not_available",
  "device",
  "enabled_by_default",
  "entity_category",
  "entity_picture",
  "icon",
  "json_attributes_topic",
  "json_attributes_template",
  "name",
  "object_id",
  "default_entity_id",
  "unique_id",
  "encoding",
  "qos",
  "origin",
  "platform",
];
const READ = ["state_topic", "value_template"];
const WRITE = ["command_topic", "command_template", "retain", "optimistic"];
const PLATFORM_KEYS: Record<string, readonly string[]> = {
  sensor: [
    ...READ,
    "device_class",
    "expire_after",
    "force_update",
    "last_reset_value_template",
    "options",
    "suggested_display_precision",
    "state_class",
    "unit_of_measurement",
  ],
  binary_sensor: [...READ, "device_class", "expire_after", "force_update", "off_delay", "payload_on", "payload_off"],
  switch: [...READ, ...WRITE, "device_class", "payload_on", "payload_off", "state_on", "state_off"],
  button: [...WRITE, "device_class", "payload_press"],
  number: [...READ, ...WRITE, "device_class", "min", "max", "step", "mode", "payload_reset", "unit_of_measurement"],
  select: [...READ, ...WRITE, "options"],
};
const REQUIRED: Record<string, readonly string[]> = {
  sensor: ["state_topic"],
  binary_sensor: ["state_topic"],
  switch: ["command_topic"],
  button: ["command_topic"],
  number: ["command_topic"],
  select: ["command_topic", "options"],
};

const TEMPERATURE = ["°C", "°F", "K"];
const PRESSURE = ["Pa", "hPa", "kPa", "bar", "cbar", "mbar", "mmHg", "inHg", "inH₂O", "psi"];
const MASS = ["g", "kg", "mg", "µg", "μg", "oz", "lb", "st"];
const TIME = ["d", "h", "min", "s", "ms", "μs", "µs"];
const ENERGY = ["J", "kJ", "MJ", "GJ", "mWh", "Wh", "kWh", "MWh", "GWh", "TWh", "cal", "kcal", "Mcal", "Gcal"];
const VOLUME = ["L", "mL", "gal", "fl. oz.", "m³", "ft³", "CCF", "MCF"];
const FLOW = ["m³/h", "m³/min", "m³/s", "ft³/min", "L/h", "L/min", "L/s", "gal/h", "gal/min", "mL/s"];
const M = ["measurement"];
const ANY = ["measurement", "total", "total_increasing"];
const TOTALS = ["total", "total_increasing"];

/** sensor/const.py: units and state classes each sensor device class allows (the classes a machine may use). */
const SENSOR_CLASSES: Record<string, { units: readonly (string | null)[]; stateClasses: readonly string[] }> = {
  temperature: { units: TEMPERATURE, stateClasses: M },
  pressure: { units: PRESSURE, stateClasses: M },
  weight: { units: MASS, stateClasses: ANY },
  duration: { units: TIME, stateClasses: ANY },
  energy: { units: ENERGY, stateClasses: TOTALS },
  power: { units: ["W", "kW", "MW", "GW", "TW"], stateClasses: M },
  volume: { units: VOLUME, stateClasses: TOTALS },
  volume_storage: { units: VOLUME, stateClasses: M },
  volume_flow_rate: { units: FLOW, stateClasses: M },
  water: { units: ["CCF", "ft³", "m³", "gal", "L"], stateClasses: TOTALS },
  battery: { units: ["%"], stateClasses: M },
  humidity: { units: ["%"], stateClasses: M },
  signal_strength: { units: ["dB", "dBm"], stateClasses: M },
  voltage: { units: ["V", "mV", "µV", "μV", "kV", "MV"], stateClasses: M },
  current: { units: ["A", "mA"], stateClasses: M },
  enum: { units: [null], stateClasses: [] },
  timestamp: { units: [null], stateClasses: [] },
  date: { units: [null], stateClasses: [] },
};
const BINARY_CLASSES = [
  "battery",
  "battery_charging",
  "connectivity",
  "door",
  "heat",
  "moisture",
  "occupancy",
  "plug",
  "power",
  "problem",
  "running",
  "safety",
  "update",
];
const BUTTON_CLASSES = ["identify", "restart", "update"];
const SWITCH_CLASSES = ["outlet", "switch"];
const NUMBER_CLASSES: Record<string, readonly string[]> = { temperature: TEMPERATURE, weight: MASS, pressure: PRESSURE, duration: TIME };

/** The config with HA's abbreviations expanded, as its discovery does before validating. */
export function expandAbbreviations(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) out[ABBREVIATIONS[k] ?? k] = v;
  const dev = out.device;
  if (dev && typeof dev === "object" && !Array.isArray(dev)) {
    const d: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(dev)) d[DEVICE_ABBREVIATIONS[k] ?? k] = v;
    out.device = d;
  }
  return out;
}

export function checkDiscovery(component: string, raw: Record<string, unknown>): string[] {
  const allowed = PLATFORM_KEYS[component];
  if (!allowed) return [`component ${component} not known to this checker`];
  const c = expandAbbreviations(raw);
  const bad: string[] = [];
  for (const k of Object.keys(c))
    if (!COMMON.includes(k) && !allowed.includes(k)) bad.push(`${component}: "${k}" is not in HA's schema (silently dropped)`);
  for (const k of REQUIRED[component] ?? [])
    if (c[k] === undefined || c[k] === null || c[k] === "") bad.push(`${component}: ${k} is required`);
  const dev = c.device as { identifiers?: unknown; connections?: unknown } | undefined;
  const ids = Array.isArray(dev?.identifiers) ? dev.identifiers : typeof dev?.identifiers === "string" ? [dev.identifiers] : [];
  if (!dev || (ids.length === 0 && !Array.isArray(dev.connections))) bad.push("device needs identifiers or connections");
  for (const k of Object.keys(dev ?? {}))
    if (!Object.values(DEVICE_ABBREVIATIONS).includes(k)) bad.push(`device: "${k}" is not a device key`);
  if (!c.unique_id) bad.push("unique_id missing (HA cannot register or edit the entity)");
  if (c.availability_topic === undefined && c.availability === undefined)
    bad.push("no availability: the entity shows stale values when the hub is gone");
  if (c.entity_category !== undefined && !["config", "diagnostic"].includes(String(c.entity_category)))
    bad.push(`entity_category ${String(c.entity_category)} unknown`);
  if ((component === "sensor" || component === "binary_sensor") && c.entity_category === "config")
    bad.push(`${component}: entity_category config is for settable entities`);
  const dc = c.device_class as string | undefined;
  switch (component) {
    case "sensor":
      bad.push(...checkSensor(c, dc));
      break;
    case "binary_sensor":
      if (dc !== undefined && !BINARY_CLASSES.includes(dc)) bad.push(`binary_sensor device_class ${dc} unknown`);
      break;
    case "switch":
      if (dc !== undefined && !SWITCH_CLASSES.includes(dc)) bad.push(`switch device_class ${dc} unknown`);
      break;
    case "button":
      if (dc !== undefined && !BUTTON_CLASSES.includes(dc)) bad.push(`button device_class ${dc} unknown`);
      break;
    case "number": {
      if (!(typeof c.min === "number" && typeof c.max === "number" && c.min < c.max)) bad.push("number needs min < max");
      if (!(typeof c.step === "number" && c.step > 0)) bad.push("number needs a step > 0");
      if (c.mode !== undefined && !["auto", "box", "slider"].includes(String(c.mode))) bad.push(`number mode ${String(c.mode)} unknown`);
      if (dc !== undefined) {
        const units = NUMBER_CLASSES[dc];
        if (!units) bad.push(`number device_class ${dc} unknown`);
        else if (!units.includes(String(c.unit_of_measurement)))
          bad.push(`unit ${String(c.unit_of_measurement)} does not fit number ${dc}`);
      }
      break;
    }
    case "select": {
      const ops = c.options;
      if (!Array.isArray(ops) || ops.length === 0 || !ops.every((o) => typeof o === "string" && o !== "")) bad.push("select needs options");
      else if (new Set(ops).size !== ops.length) bad.push("select options repeat: HA cannot tell them apart");
      break;
    }
  }
  return bad;
}

function checkSensor(c: Record<string, unknown>, dc: string | undefined): string[] {
  const bad: string[] = [];
  const sc = c.state_class as string | undefined;
  const unit = (c.unit_of_measurement as string | undefined) ?? null;
  if (sc !== undefined && !ANY.includes(sc) && sc !== "measurement_angle") bad.push(`state_class ${sc} unknown`);
  if (c.last_reset_value_template !== undefined && sc !== "total") bad.push("last_reset_value_template needs state_class total");
  if (c.options !== undefined) {
    if (dc !== "enum") bad.push("options need device_class enum");
    if (sc !== undefined || unit !== null) bad.push("options cannot go with a state_class or a unit");
  }
  if (dc === undefined) return bad;
  const rule = SENSOR_CLASSES[dc];
  if (!rule) return [...bad, `sensor device_class ${dc} unknown to this checker`];
  if (!rule.units.includes(unit)) bad.push(`unit ${String(unit)} does not fit device_class ${dc} (HA allows ${rule.units.join(", ")})`);
  if (sc !== undefined && !rule.stateClasses.includes(sc))
    bad.push(`state_class ${sc} does not fit device_class ${dc} (HA allows ${rule.stateClasses.join(", ") || "none"})`);
  return bad;
}
