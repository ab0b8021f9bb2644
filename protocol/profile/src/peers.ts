/**
 * @module Import from and export to the Gaggiuino and GaggiMate profile formats (facts in the peers
 * study). Each conversion returns what it produced and a list of everything that did not map, so
 * nothing is dropped silently; callers show that list to the user.
 */
import { PROFILE_VERSION, type Profile, type ProfileCurve, type ProfileExit, type ProfilePhase } from "./types.ts";
import { parseProfile } from "./validate.ts";

export interface Converted<T> {
  result: T;
  unmapped: string[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const numOr = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
/** A profile id from an imported name: kebab-case, at most 64 characters, `fallback` when nothing is left. */
export const slug = (s: string, fallback = "imported") =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 64) || fallback;

const GGU_CURVES: Record<string, ProfileCurve> = {
  INSTANT: "instant",
  LINEAR: "linear",
  EASE_IN: "ease_in",
  EASE_OUT: "ease_out",
  EASE_IN_OUT: "ease_in_out",
};
const GM_CURVES: Record<string, ProfileCurve> = {
  instant: "instant",
  linear: "linear",
  "ease-in": "ease_in",
  "ease-out": "ease_out",
  "ease-in-out": "ease_in_out",
};
const invert = (m: Record<string, ProfileCurve>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [v, k]));

/** Gaggiuino profile JSON → ours. Times in Gaggiuino are milliseconds. */
export function fromGaggiuino(raw: unknown): Converted<Profile> {
  const g = obj(raw);
  const unmapped: string[] = [];
  const phases: ProfilePhase[] = (Array.isArray(g.phases) ? g.phases : []).map((rp, i) => {
    const p = obj(rp);
    const where = `phases[${i}]`;
    const mode = p.type === "PRESSURE" ? "pressure" : "flow";
    if (p.type !== "PRESSURE" && p.type !== "FLOW") unmapped.push(`${where}.type ${String(p.type)} (read as FLOW)`);
    const t = obj(p.target);
    const curve = GGU_CURVES[String(t.curve ?? "INSTANT")];
    if (!curve) unmapped.push(`${where}.target.curve ${String(t.curve)} (read as instant)`);
    const over = numOr(t.time) ?? 0;
    if (curve?.startsWith("ease") && over > 0)
      unmapped.push(
        `${where}.target.curve ${String(t.curve)} (Gaggiuino eases by powers of 1.675 or a sine; ours is quadratic: up to 7 % of the ramp apart)`,
      );
    const start = numOr(t.start);
    const ph: ProfilePhase = {
      name: typeof p.name === "string" ? p.name : `phase ${i + 1}`,
      mode,
      // Gaggiuino's firmware ramps from the value measured at the phase start when the start is not
      // above 0 (Phase::getTarget: `target.start > 0.f ? target.start : measured`), 0 included.
      from: start === null || start <= 0 ? null : start,
      to: numOr(t.end) ?? start ?? 0,
      curve: curve ?? "instant",
      over_s: (numOr(t.time) ?? 0) / 1000,
      exit: {},
    };
    const restriction = numOr(p.restriction);
    if (restriction !== null && restriction > 0)
      ph.limit = mode === "pressure" ? { flow_ml_s: restriction } : { pressure_bar: restriction };
    const temp = numOr(p.waterTemperature);
    if (temp !== null && temp > 0) ph.temperature_c = temp;
    const s = obj(p.stopConditions);
    const exit: ProfileExit = {};
    if (numOr(s.time)) exit.time_s = (numOr(s.time) ?? 0) / 1000;
    if (numOr(s.pressureAbove)) exit.pressure_above_bar = numOr(s.pressureAbove);
    if (numOr(s.pressureBelow)) exit.pressure_below_bar = numOr(s.pressureBelow);
    if (numOr(s.flowAbove)) exit.flow_above_ml_s = numOr(s.flowAbove);
    if (numOr(s.flowBelow)) exit.flow_below_ml_s = numOr(s.flowBelow);
    if (numOr(s.weight)) exit.weight_g = numOr(s.weight);
    if (numOr(s.waterPumpedInPhase)) {
      // Water pumped in this phase, as ours counts it; Gaggiuino ends such a phase a little early
      // (by flow × cup weight / 100), a prediction ours does not make.
      exit.volume_ml = numOr(s.waterPumpedInPhase);
      unmapped.push(`${where}.stopConditions.waterPumpedInPhase early-stop prediction (ends on the volume itself here)`);
    }
    if (p.skip) unmapped.push(`${where}.skip (phases always run here)`);
    ph.exit = exit;
    return ph;
  });
  const gs = obj(g.globalStopConditions);
  const profile = {
    version: PROFILE_VERSION,
    id: slug(String(g.name ?? "gaggiuino")),
    name: String(g.name ?? "Imported from Gaggiuino").slice(0, 80),
    temperature_c: numOr(g.waterTemperature),
    stops: {
      weight_g: numOr(gs.weight),
      time_s: numOr(gs.time) === null ? null : (numOr(gs.time) ?? 0) / 1000,
      volume_ml: numOr(gs.waterPumped),
    },
    phases,
  };
  if (g.recipe !== undefined) unmapped.push("recipe (dose and ratio belong to the shot, not the profile)");
  return { result: parseProfile(profile), unmapped };
}

/** Ours → Gaggiuino. Power phases have no Gaggiuino equivalent except "no flow". */
export function toGaggiuino(p: Profile): Converted<Obj> {
  const unmapped: string[] = [];
  const curves = invert(GGU_CURVES);
  const phases = p.phases.map((ph, i) => {
    let type = ph.mode === "pressure" ? "PRESSURE" : "FLOW";
    let start = ph.from ?? -1;
    if (ph.from === 0) {
      // A literal 0 start reads as "the measured value" there; the nearest it can say is a hair above.
      start = 0.1;
      unmapped.push(`phases[${i}] from 0 (Gaggiuino reads a start of 0 as the value measured at the phase start; written as 0.1)`);
    }
    let end = ph.to;
    if (ph.mode === "power") {
      if (ph.to !== 0) unmapped.push(`phases[${i}] power ${ph.to} % (Gaggiuino phases are pressure or flow)`);
      type = "FLOW";
      start = 0;
      end = 0;
    }
    const e = ph.exit;
    const limit = ph.mode === "pressure" ? ph.limit?.flow_ml_s : ph.limit?.pressure_bar;
    return {
      name: ph.name,
      type,
      target: { start, end, curve: curves[ph.curve] ?? "INSTANT", time: Math.round(ph.over_s * 1000) },
      ...(limit ? { restriction: limit } : {}),
      stopConditions: {
        ...(e.time_s ? { time: Math.round(e.time_s * 1000) } : {}),
        ...(e.pressure_above_bar ? { pressureAbove: e.pressure_above_bar } : {}),
        ...(e.pressure_below_bar ? { pressureBelow: e.pressure_below_bar } : {}),
        ...(e.flow_above_ml_s ? { flowAbove: e.flow_above_ml_s } : {}),
        ...(e.flow_below_ml_s ? { flowBelow: e.flow_below_ml_s } : {}),
        ...(e.weight_g ? { weight: e.weight_g } : {}),
        ...(e.volume_ml ? { waterPumpedInPhase: e.volume_ml } : {}),
      },
      ...(ph.temperature_c ? { waterTemperature: ph.temperature_c } : {}),
    };
  });
  const s = p.stops ?? {};
  return {
    result: {
      name: p.name,
      phases,
      globalStopConditions: {
        ...(s.time_s ? { time: Math.round(s.time_s * 1000) } : {}),
        ...(s.weight_g ? { weight: s.weight_g } : {}),
        ...(s.volume_ml ? { waterPumped: s.volume_ml } : {}),
      },
      ...(p.temperature_c ? { waterTemperature: p.temperature_c } : {}),
    },
    unmapped,
  };
}

/** GaggiMate profile JSON → ours. Durations in GaggiMate are seconds; −1 means "measured at phase start". */
export function fromGaggiMate(raw: unknown): Converted<Profile> {
  const g = obj(raw);
  const unmapped: string[] = [];
  let finalWeight: number | null = null;
  const phases: ProfilePhase[] = (Array.isArray(g.phases) ? g.phases : []).map((rp, i) => {
    const p = obj(rp);
    const where = `phases[${i}]`;
    const pump = p.pump;
    let mode: ProfilePhase["mode"] = "power";
    let to = 0;
    let limit: ProfilePhase["limit"];
    if (typeof pump === "number") to = pump;
    else {
      const q = obj(pump);
      if (q.target === "pressure") {
        mode = "pressure";
        to = numOr(q.pressure) ?? 0;
        if ((numOr(q.flow) ?? 0) > 0) limit = { flow_ml_s: numOr(q.flow) };
      } else {
        mode = "flow";
        to = numOr(q.flow) ?? 0;
        if ((numOr(q.pressure) ?? 0) > 0) limit = { pressure_bar: numOr(q.pressure) };
      }
    }
    const tr = obj(p.transition);
    const curve = GM_CURVES[String(tr.type ?? "instant")];
    if (!curve) unmapped.push(`${where}.transition.type ${String(tr.type)} (read as instant)`);
    // GaggiMate ramps from the pressure or flow measured at the phase start when the transition is
    // adaptive, and from 0 when it is not (its BrewProcess: phaseStartPressure = adaptive ? current : 0).
    const from = tr.adaptive ? null : 0;
    if (p.valve === 0) unmapped.push(`${where}.valve closed (the group is always open during a shot here)`);
    const exit: ProfileExit = {};
    if (numOr(p.duration)) exit.time_s = numOr(p.duration);
    const last = i === (Array.isArray(g.phases) ? g.phases.length : 0) - 1;
    for (const [k, rt] of (Array.isArray(p.targets) ? p.targets : []).entries()) {
      const t = obj(rt);
      const v = numOr(t.value);
      const gte = t.operator !== "lte";
      if (v === null) continue;
      if (t.type === "volumetric" && gte && last) {
        // The last phase's volumetric target is the shot's cup weight, predicted by weight, and
        // its duration no cap (GaggiMate): here that is the profile's brew-by-weight stop.
        finalWeight = v;
        delete exit.time_s;
      } else if (t.type === "volumetric" && gte) {
        exit.weight_g = v;
        unmapped.push(
          `${where}.targets[${k}] volumetric ${v} (GaggiMate ends the phase on a predicted weight; here on the weight reached)`,
        );
      } else if (t.type === "pressure") exit[gte ? "pressure_above_bar" : "pressure_below_bar"] = v;
      else if (t.type === "flow") exit[gte ? "flow_above_ml_s" : "flow_below_ml_s"] = v;
      else if (t.type === "pumped" && gte) exit.volume_ml = v;
      else unmapped.push(`${where}.targets[${k}] ${String(t.type)} ${String(t.operator)}`);
    }
    const ph: ProfilePhase = {
      name: typeof p.name === "string" ? p.name : `phase ${i + 1}`,
      mode,
      from: mode === "power" ? null : from,
      to: Math.max(0, to),
      curve: curve ?? "instant",
      over_s: numOr(tr.duration) ?? 0,
      exit,
    };
    if (to < 0) unmapped.push(`${where} target -1 ("hold what is measured" maps to a 0 target here)`);
    if (limit) ph.limit = limit;
    const temp = numOr(p.temperature);
    if (temp !== null && temp > 0) ph.temperature_c = temp;
    return ph;
  });
  const name = String(g.label ?? g.name ?? "Imported from GaggiMate");
  return {
    result: parseProfile({
      version: PROFILE_VERSION,
      id: slug(name),
      name: name.slice(0, 80),
      temperature_c: numOr(g.temperature),
      ...(finalWeight !== null ? { stops: { weight_g: finalWeight } } : {}),
      phases,
    }),
    unmapped,
  };
}

/** Ours → GaggiMate ("pro" type when any phase controls pressure or flow). */
export function toGaggiMate(p: Profile): Converted<Obj> {
  const unmapped: string[] = [];
  const curves = invert(GM_CURVES);
  const pro = p.phases.some((ph) => ph.mode !== "power");
  const phases = p.phases.map((ph, i) => {
    const e = ph.exit;
    const targets: Obj[] = [];
    if (e.weight_g) targets.push({ type: "volumetric", operator: "gte", value: e.weight_g });
    if (e.pressure_above_bar) targets.push({ type: "pressure", operator: "gte", value: e.pressure_above_bar });
    if (e.pressure_below_bar) targets.push({ type: "pressure", operator: "lte", value: e.pressure_below_bar });
    if (e.flow_above_ml_s) targets.push({ type: "flow", operator: "gte", value: e.flow_above_ml_s });
    if (e.flow_below_ml_s) targets.push({ type: "flow", operator: "lte", value: e.flow_below_ml_s });
    if (e.volume_ml) targets.push({ type: "pumped", operator: "gte", value: e.volume_ml });
    if (ph.from !== null && ph.from !== 0 && ph.mode !== "power")
      unmapped.push(`phases[${i}].from ${ph.from} (GaggiMate ramps from the measured value or from 0)`);
    const pump =
      ph.mode === "power"
        ? ph.to
        : {
            target: ph.mode,
            pressure: ph.mode === "pressure" ? ph.to : (ph.limit?.pressure_bar ?? 0),
            flow: ph.mode === "flow" ? ph.to : (ph.limit?.flow_ml_s ?? 0),
          };
    return {
      name: ph.name,
      phase: i === 0 && p.phases.length > 1 ? "preinfusion" : "brew",
      valve: 1,
      duration: e.time_s ?? 0,
      ...(ph.temperature_c ? { temperature: ph.temperature_c } : {}),
      transition: { type: curves[ph.curve] ?? "instant", duration: ph.over_s, adaptive: ph.from === null },
      pump,
      targets,
    };
  });
  const s = p.stops ?? {};
  if (s.weight_g || s.time_s || s.volume_ml) unmapped.push("stops (GaggiMate sets the target weight outside the profile)");
  return { result: { label: p.name, type: pro ? "pro" : "standard", temperature: p.temperature_c ?? 93, phases }, unmapped };
}
