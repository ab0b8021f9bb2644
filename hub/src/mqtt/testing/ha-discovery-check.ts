/**
 * Test helper: checks a discovery config the way Home Assistant's MQTT integration would refuse
 * it — the keys each component requires (state_topic for sensors, command_topic for controls,
 * options for selects, a sane range for numbers), device classes and units that belong together,
 * a device block with identifiers, and availability. Returns what is wrong (empty: acceptable).
 */

const SENSOR_CLASSES: Record<string, readonly string[]> = {
  temperature: ["°C", "°F", "K"],
  pressure: ["bar", "mbar", "Pa", "kPa", "hPa", "psi", "inHg", "mmHg", "cbar"],
  weight: ["g", "kg", "mg", "oz", "lb", "µg", "st"],
  duration: ["s", "min", "h", "d", "ms"],
  energy: ["Wh", "kWh", "MWh", "J", "kJ", "MJ", "GJ"],
};
const BINARY_CLASSES = ["running", "heat", "problem", "connectivity", "power", "moisture", "safety"];
const BUTTON_CLASSES = ["identify", "restart", "update"];
const SWITCH_CLASSES = ["outlet", "switch"];
const NUMBER_CLASSES = ["temperature", "weight", "pressure", "duration"];

export function checkDiscovery(component: string, c: Record<string, unknown>): string[] {
  const bad: string[] = [];
  const need = (k: string) => {
    if (c[k] === undefined || c[k] === null || c[k] === "") bad.push(`${component}: ${k} is required`);
  };
  const dev = c.device as { identifiers?: unknown[] } | undefined;
  if (!dev || !Array.isArray(dev.identifiers) || dev.identifiers.length === 0) bad.push("device.identifiers missing");
  need("unique_id");
  need("name");
  if (c.availability_topic === undefined) bad.push("availability_topic missing");
  const dc = c.device_class as string | undefined;
  switch (component) {
    case "sensor": {
      need("state_topic");
      if (dc !== undefined) {
        const units = SENSOR_CLASSES[dc];
        if (!units) bad.push(`sensor device_class ${dc} unknown`);
        else if (!units.includes(String(c.unit_of_measurement))) bad.push(`unit ${c.unit_of_measurement} does not fit ${dc}`);
        if (dc === "energy" && c.state_class === "measurement") bad.push("energy cannot have state_class measurement");
      }
      if (c.state_class !== undefined && !["measurement", "total", "total_increasing"].includes(String(c.state_class)))
        bad.push(`state_class ${c.state_class} unknown`);
      break;
    }
    case "binary_sensor":
      need("state_topic");
      if (dc !== undefined && !BINARY_CLASSES.includes(dc)) bad.push(`binary_sensor device_class ${dc} unknown`);
      break;
    case "switch":
      need("command_topic");
      if (dc !== undefined && !SWITCH_CLASSES.includes(dc)) bad.push(`switch device_class ${dc} unknown`);
      break;
    case "button":
      need("command_topic");
      if (dc !== undefined && !BUTTON_CLASSES.includes(dc)) bad.push(`button device_class ${dc} unknown`);
      break;
    case "number":
      need("command_topic");
      if (!(typeof c.min === "number" && typeof c.max === "number" && c.min < c.max)) bad.push("number needs min < max");
      if (!(typeof c.step === "number" && c.step > 0)) bad.push("number needs a step > 0");
      if (dc !== undefined && !NUMBER_CLASSES.includes(dc)) bad.push(`number device_class ${dc} unknown`);
      break;
    case "select":
      need("command_topic");
      if (!Array.isArray(c.options) || c.options.length === 0 || !c.options.every((o) => typeof o === "string"))
        bad.push("select needs options");
      break;
    default:
      bad.push(`component ${component} not known to this checker`);
  }
  return bad;
}
