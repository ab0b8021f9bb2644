/**
 * @module de1app's "simple" profiles (pressure `settings_2a`, flow `settings_2b`) hold a few numbers
 * — preinfusion, hold, decline — and de1app builds the machine's steps from them when it loads one
 * (facts from its profile.tcl: step order, the 2 s temperature-boost step, the 3 s unlimited rise
 * before a pressure hold, limits only on hold and decline). The steps built here follow those rules,
 * quirks included, so a simple profile runs here as it runs on a Decent.
 */
import type { DecentStep } from "./decent-step.ts";

type Settings = Record<string, string>;

const n = (s: Settings, key: string, fallback = 0): number => {
  const v = Number.parseFloat(s[key] ?? "");
  return Number.isFinite(v) ? v : fallback;
};

function preinfusionSteps(s: Settings, temps: number[], flowKind: boolean): DecentStep[] {
  const stepped = n(s, "espresso_temperature_steps_enabled") === 1;
  const bump = stepped ? n(s, "temp_bump_time_seconds", 2) : 0;
  const second = Math.max(0, n(s, "preinfusion_time") - bump);
  const step = (name: string, temperature: number, seconds: number): DecentStep => ({
    name,
    temperature,
    sensor: "coffee",
    pump: "flow",
    transition: "fast",
    pressure: 1,
    flow: n(s, "preinfusion_flow_rate", 4),
    seconds,
    volume: 0,
    weight: 0,
    exit: { type: "pressure", condition: "over", value: n(s, "preinfusion_stop_pressure") },
    limiter: null,
  });
  const out: DecentStep[] = [];
  if (bump > 0) out.push(step(flowKind ? "preinfusion boost" : "preinfusion temp boost", temps[0] ?? 0, bump));
  if (second > 0) out.push(step("preinfusion", temps[1] ?? 0, second));
  return out;
}

function temperatures(s: Settings): number[] {
  if (n(s, "espresso_temperature_steps_enabled") === 1) return [0, 1, 2, 3].map((k) => n(s, `espresso_temperature_${k}`));
  const t = n(s, "espresso_temperature");
  return [t, t, t, t];
}

const limiter = (value: number, range: number) => (value !== 0 ? { value, range } : null);

/** The steps de1app builds for a pressure profile (`settings_2a`). */
export function pressureProfileSteps(s: Settings): DecentStep[] {
  const temps = temperatures(s);
  const steps = preinfusionSteps(s, temps, false);
  const pressure = n(s, "espresso_pressure");
  const lim = limiter(n(s, "maximum_flow"), n(s, "maximum_flow_range_default", 1));
  const rise = (temperature: number): DecentStep => ({
    name: "forced rise without limit",
    temperature,
    sensor: "coffee",
    pump: "pressure",
    transition: "fast",
    pressure,
    flow: 0,
    seconds: 3,
    volume: 0,
    weight: 0,
    exit: null,
    limiter: null,
  });
  let hold = n(s, "espresso_hold_time");
  let decline = n(s, "espresso_decline_time");
  if (hold > 0) {
    if (hold > 3) {
      steps.push(rise(temps[2] ?? 0));
      hold -= 3;
    }
    steps.push({ ...rise(temps[2] ?? 0), name: "rise and hold", seconds: hold, limiter: lim });
  }
  if (decline > 0) {
    // de1app compares the hold time after taking its 3 s rise off, so a 4–5 s hold gets a second rise.
    if (hold < 3 && decline > 3) {
      steps.push(rise(temps[3] ?? 0));
      decline -= 3;
    }
    steps.push({
      ...rise(temps[3] ?? 0),
      name: "decline",
      transition: "smooth",
      pressure: n(s, "pressure_end"),
      seconds: decline,
      limiter: lim,
    });
  }
  return steps;
}

/** The steps de1app builds for a flow profile (`settings_2b`). */
export function flowProfileSteps(s: Settings): DecentStep[] {
  const temps = temperatures(s);
  const steps = preinfusionSteps(s, temps, true);
  const lim = limiter(n(s, "maximum_pressure"), n(s, "maximum_pressure_range_default", 0.9));
  const hold = n(s, "espresso_hold_time");
  const base: DecentStep = {
    name: "hold",
    temperature: temps[2] ?? 0,
    sensor: "coffee",
    pump: "flow",
    transition: "fast",
    pressure: 0,
    flow: n(s, "flow_profile_hold"),
    seconds: hold,
    volume: 0,
    weight: 0,
    exit: null,
    limiter: lim,
  };
  // de1app adds the decline only when there is a hold, whatever the decline time.
  if (hold > 0) {
    steps.push(base);
    steps.push({
      ...base,
      name: "decline",
      temperature: temps[3] ?? 0,
      transition: "smooth",
      flow: n(s, "flow_profile_decline"),
      seconds: n(s, "espresso_decline_time"),
    });
  }
  return steps;
}
