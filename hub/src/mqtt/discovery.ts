/**
 * @module Home Assistant MQTT discovery configs, built from the entity table. One retained config
 * per entity at `<prefix>/<component>/<node_id>/<key>/config`, with a stable unique_id, the device
 * block, origin, availability, and the state/command topics in the bridge's layout.
 */
import { ENTITIES, type Entity } from "./entities.ts";

export interface Topics {
  base: string;
  discoveryPrefix: string;
  nodeId: string;
}

export function topicsFor(topicPrefix: string, discoveryPrefix: string, deviceId: string): Topics {
  return { base: `${topicPrefix}/${deviceId}`, discoveryPrefix, nodeId: `brewos_${deviceId}` };
}

export const stateTopic = (t: Topics) => `${t.base}/state`;
export const availabilityTopic = (t: Topics) => `${t.base}/availability`;
export const resultTopic = (t: Topics) => `${t.base}/result`;
export const eventTopic = (t: Topics, kind: string) => `${t.base}/event/${kind}`;
export const commandTopic = (t: Topics, key: string) => `${t.base}/${key}/set`;
export const configTopic = (t: Topics, e: Pick<Entity, "component" | "key">) =>
  `${t.discoveryPrefix}/${e.component}/${t.nodeId}/${e.key}/config`;

export interface DeviceInfo {
  deviceId: string;
  name: string;
  model: string;
  hubVersion: string;
  firmware: string | null;
}

export function discoveryConfigs(
  t: Topics,
  d: DeviceInfo,
  profiles: readonly string[],
): { topic: string; payload: Record<string, unknown> }[] {
  const device = {
    identifiers: [`brewos_${d.deviceId}`],
    name: d.name,
    manufacturer: "BrewOS",
    model: d.model,
    sw_version: d.hubVersion,
    ...(d.firmware ? { hw_version: `controller ${d.firmware}` } : {}),
  };
  const origin = { name: "BrewOS hub", sw_version: d.hubVersion, support_url: "https://github.com/brewos" };
  return ENTITIES.map((e) => {
    const p: Record<string, unknown> = {
      name: e.name,
      unique_id: `brewos_${d.deviceId}_${e.key}`,
      device,
      origin,
      availability_topic: availabilityTopic(t),
      payload_available: "online",
      payload_not_available: "offline",
    };
    if (e.field) {
      p.state_topic = stateTopic(t);
      p.value_template = `{{ value_json.${e.field} }}`;
    }
    if (e.command) p.command_topic = commandTopic(t, e.key);
    if (e.device_class) p.device_class = e.device_class;
    if (e.unit) p.unit_of_measurement = e.unit;
    if (e.state_class) p.state_class = e.state_class;
    if (e.icon) p.icon = e.icon;
    if (e.entity_category) p.entity_category = e.entity_category;
    if (e.component === "switch") {
      p.payload_on = "ON";
      p.payload_off = "OFF";
      p.state_on = "ON";
      p.state_off = "OFF";
    }
    if (e.component === "binary_sensor") {
      p.payload_on = "ON";
      p.payload_off = "OFF";
    }
    if (e.component === "button") p.payload_press = "PRESS";
    if (e.component === "number") {
      p.min = e.min;
      p.max = e.max;
      p.step = e.step;
      p.mode = "box";
    }
    if (e.component === "select") p.options = e.key === "profile" ? [...profiles] : [...(e.options ?? [])];
    return { topic: configTopic(t, e), payload: p };
  });
}
