import { expect, test } from "bun:test";
import type { ControllerKey } from "../../shared/hub-api.ts";
import { grouped, parseValue, shownValue, view } from "./controller-keys.ts";

const key = (name: string, unit: string, min: number, max: number): ControllerKey => ({
  name,
  unit,
  min,
  max,
  default: min,
  value: min,
  source: "default",
});

test("hundredths of a degree are shown and typed in °C; ranges match the protocol's", () => {
  const v = view(key("eco_setpoint_cdeg", "cdegC", 5000, 9000));
  expect(v).toMatchObject({ label: "Eco temperature", unit: "°C" });
  expect(parseValue(v, "80.5")).toEqual({ ok: true, value: 8050 });
  expect(parseValue(v, "95")).toEqual({ ok: false, message: "must be from 50 to 90 °C" });
  expect(parseValue(v, "")).toEqual({ ok: false, message: "enter a number" });
  expect(parseValue(view(key("brew_heater_w", "W", 0, 3500)), "1200")).toEqual({ ok: true, value: 1200 });
});

test("in °F: an absolute temperature converts with its offset, a difference without", () => {
  const eco = view(key("eco_setpoint_cdeg", "cdegC", 5000, 9000), "F");
  expect(eco.unit).toBe("°F");
  expect(parseValue(eco, "176")).toEqual({ ok: true, value: 8000 });
  expect(parseValue(eco, "200")).toEqual({ ok: false, message: "must be from 122 to 194 °F" });
  const band = view({ ...key("ready_band_cdeg", "cdegC", 10, 500), value: 100 }, "F");
  expect(shownValue(band)).toBe("1.8"); // 1 °C of band is 1.8 °F, not 33.8
  expect(parseValue(band, "1.8")).toEqual({ ok: true, value: 100 });
});

test("everyday settings come first, named for what they do, in minutes and seconds", () => {
  const g = grouped([
    { ...key("eco_timeout_s", "s", 0, 86400), value: 1800 },
    { ...key("preinfusion_on_ms", "ms", 0, 10000), value: 2500 },
    key("brew_kp_milli", "x", 0, 1),
  ]);
  expect(g.map(([n]) => n)).toEqual(["Everyday", "PID"]);
  const [eco, pre] = g[0]?.[1] ?? [];
  expect(eco).toMatchObject({ label: "Eco after", unit: "min" });
  expect(shownValue(eco as never)).toBe("30");
  expect(parseValue(eco as never, "45")).toEqual({ ok: true, value: 2700 });
  expect(pre).toMatchObject({ label: "Pre-infusion: pump on", unit: "s" });
  expect(shownValue(pre as never)).toBe("2.5");
  expect(pre?.help).toContain("wets the puck");
});

test("keys fall into groups people recognise", () => {
  const g = Object.fromEntries(
    grouped([
      key("brew_kp_milli", "x", 0, 1),
      key("brew_heater_w", "W", 0, 3500),
      key("bbw_drip_ms", "ms", 0, 1),
      key("brew_ntc_beta_k", "K", 0, 1),
    ]).map(([n, ks]) => [n, ks.map((k) => k.key.name)]),
  );
  expect(g).toEqual({
    "Power and mains": ["brew_heater_w"],
    Brewing: ["bbw_drip_ms"],
    PID: ["brew_kp_milli"],
    Sensors: ["brew_ntc_beta_k"],
  });
});

test("register words become people's: permille as %, millibar as bar, 'Ssr min on' as the shortest heater pulse", () => {
  const duty = view(key("steam_duty_cap_pmil", "permille", 0, 1000));
  expect(duty).toMatchObject({ unit: "%" });
  expect(parseValue(duty, "62.5")).toEqual({ ok: true, value: 625 });
  const p = view(key("pump_max_mbar", "mbar", 0, 15000));
  expect(p).toMatchObject({ unit: "bar" });
  expect(parseValue(p, "9")).toEqual({ ok: true, value: 9000 });
  expect(view(key("ssr_min_on_ms", "ms", 0, 1000)).label).toBe("Shortest heater pulse");
  expect(view(key("brew_ssr_min_on_ms", "ms", 0, 1000)).label).toBe("Shortest brew heater pulse");
});
