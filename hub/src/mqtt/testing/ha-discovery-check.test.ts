/** The discovery checker refuses what Home Assistant would drop or refuse, abbreviated keys included. */
import { expect, test } from "bun:test";
import { checkDiscovery } from "./ha-discovery-check.ts";

const base = { uniq_id: "x_1", name: "Brew temperature", avty_t: "brewos/x/availability", dev: { ids: ["brewos_x"], mf: "BrewOS" } };

test("a correct sensor in HA's short keys passes", () => {
  expect(
    checkDiscovery("sensor", {
      ...base,
      stat_t: "brewos/x/state",
      val_tpl: "{{ value_json.brew_c }}",
      dev_cla: "temperature",
      unit_of_meas: "°C",
      stat_cla: "measurement",
    }),
  ).toEqual([]);
});

test("unit, state class and device class must belong together, as sensor/const.py says", () => {
  const sensor = { ...base, stat_t: "t" };
  expect(checkDiscovery("sensor", { ...sensor, dev_cla: "pressure", unit_of_meas: "°C" }).join()).toContain(
    "does not fit device_class pressure",
  );
  expect(checkDiscovery("sensor", { ...sensor, dev_cla: "energy", unit_of_meas: "kWh", stat_cla: "measurement" }).join()).toContain(
    "state_class measurement does not fit device_class energy",
  );
  expect(
    checkDiscovery("sensor", { ...sensor, dev_cla: "temperature", unit_of_meas: "°C", stat_cla: "total_increasing" }).join(),
  ).toContain("does not fit");
  expect(checkDiscovery("sensor", { ...sensor, options: ["a"] }).join()).toContain("options need device_class enum");
  expect(checkDiscovery("sensor", { ...sensor, lrst_val_tpl: "{{ x }}", stat_cla: "measurement" }).join()).toContain(
    "needs state_class total",
  );
});

test("keys HA drops, missing topics, a device without identity and repeated options are each named", () => {
  expect(checkDiscovery("sensor", { ...base, stat_t: "t", unit: "°C" }).join()).toContain('"unit" is not in HA\'s schema');
  expect(checkDiscovery("switch", { ...base }).join()).toContain("command_topic is required");
  expect(checkDiscovery("sensor", { ...base, stat_t: "t", dev: { name: "x" } }).join()).toContain("identifiers or connections");
  expect(checkDiscovery("select", { ...base, cmd_t: "c", ops: ["Classic", "Classic"] }).join()).toContain("options repeat");
  expect(checkDiscovery("sensor", { ...base, stat_t: "t", ent_cat: "config" }).join()).toContain("entity_category config");
  expect(checkDiscovery("number", { ...base, cmd_t: "c", min: 5, max: 1, step: 0 })).toHaveLength(2);
});
