/**
 * @module Import from and export to Decent's profile formats: de1app's Tcl profiles and JSON v2
 * (the form de1app, Visualizer and Decenza share). A DE1 step maps to one phase: its pump mode and
 * target, "fast" as an instant jump and "smooth" as a straight ramp across the whole step (the DE1's
 * Interpolate flag ramps between set values: from the previous step's target when the pump mode
 * stays, from the measured value when it changes — decision 0011), its seconds as the time exit, its one pressure/flow exit condition,
 * its water (ml in this step) and weight exits, its limiter as our limit. Whatever does not map is
 * listed; nothing changes silently.
 */
import { flowProfileSteps, pressureProfileSteps } from "./decent-simple.ts";
import { type DecentStep, decentNumber, decentStep } from "./decent-step.ts";
import { type Converted, slug } from "./peers.ts";
import { tclDict, tclList } from "./tcl.ts";
import { PROFILE_MAX_PHASES, PROFILE_VERSION, type Profile, type ProfileExit, type ProfilePhase } from "./types.ts";
import { ProfileError, parseProfile } from "./validate.ts";

type Obj = Record<string, unknown>;

/** A Decent profile reduced to what its steps and stops say. */
export interface DecentProfile {
  title: string;
  notes: string;
  beverage: string;
  steps: DecentStep[];
  targetWeight: number;
  targetVolume: number;
  /** Steps before the volume stop starts counting (de1app: the preinfusion steps). */
  volumeCountStart: number;
  tankTemperature: number;
}

/** de1app Tcl profile text → ours. Simple pressure/flow profiles get their steps built as de1app builds them. */
export function fromDecentTcl(text: string): Converted<Profile> {
  const s = tclDict(text);
  const kind = s.settings_profile_type ?? "settings_2a";
  const simple = ["settings_2a", "settings_2", "settings_profile_pressure", "settings_2b", "settings_profile_flow"].includes(kind);
  const flow = kind === "settings_2b" || kind === "settings_profile_flow";
  let steps: DecentStep[];
  if (simple) steps = flow ? flowProfileSteps(s) : pressureProfileSteps(s);
  else steps = tclList(s.advanced_shot ?? "").map((t, i) => decentStep(tclDict(t), i));
  const preinfusionSteps = steps.filter((st) => st.name.startsWith("preinfusion")).length;
  return toOurs({
    title: s.profile_title ?? "Imported from Decent",
    notes: s.profile_notes ?? "",
    beverage: s.beverage_type ?? "espresso",
    steps,
    targetWeight: decentNumber(
      simple ? s.final_desired_shot_weight : (s.final_desired_shot_weight_advanced ?? s.final_desired_shot_weight),
    ),
    targetVolume: decentNumber(simple ? s.final_desired_shot_volume : s.final_desired_shot_volume_advanced),
    volumeCountStart: simple ? preinfusionSteps : decentNumber(s.final_desired_shot_volume_advanced_count_start),
    tankTemperature: decentNumber(s.tank_desired_water_temperature),
  });
}

/** Decent JSON v2 profile (de1app, Visualizer, Decenza) → ours. */
export function fromDecentJson(raw: unknown): Converted<Profile> {
  const o = (typeof raw === "object" && raw !== null ? raw : {}) as Obj;
  const steps = (Array.isArray(o.steps) ? o.steps : []).map(decentStep);
  return toOurs({
    title: typeof o.title === "string" && o.title ? o.title : "Imported from Decent",
    notes: typeof o.notes === "string" ? o.notes : "",
    beverage: typeof o.beverage_type === "string" ? o.beverage_type : "espresso",
    steps,
    targetWeight: decentNumber(o.target_weight),
    targetVolume: decentNumber(o.target_volume),
    volumeCountStart: decentNumber(o.target_volume_count_start ?? o.number_of_preinfuse_frames ?? o.preinfuse_frame_count),
    tankTemperature: decentNumber(o.tank_temperature ?? o.tank_desired_water_temperature),
  });
}

function stepToPhase(st: DecentStep, prev: DecentStep | null, where: string, unmapped: string[]): ProfilePhase {
  if (st.pump !== "pressure" && st.pump !== "flow") throw new ProfileError(`${where}.pump "${st.pump}" has no equivalent here`);
  const mode = st.pump;
  const to = mode === "pressure" ? st.pressure : st.flow;
  const smooth = st.transition === "smooth";
  if (!smooth && st.transition !== "fast") unmapped.push(`${where}.transition ${st.transition} (read as fast)`);
  const exit: ProfileExit = { time_s: st.seconds };
  if (st.exit && st.exit.value > 0) {
    const key =
      `${st.exit.type}_${st.exit.condition === "over" ? "above" : "below"}_${st.exit.type === "pressure" ? "bar" : "ml_s"}` as const;
    exit[key as keyof ProfileExit] = st.exit.value;
  } else if (st.exit) unmapped.push(`${where}.exit ${st.exit.type} ${st.exit.condition} 0 (never true on a Decent either; dropped)`);
  if (st.volume > 0) exit.volume_ml = st.volume;
  if (st.weight > 0) exit.weight_g = st.weight;
  const phase: ProfilePhase = {
    name: st.name.slice(0, 40),
    mode,
    from: smooth && prev && prev.pump === st.pump ? (prev.pump === "pressure" ? prev.pressure : prev.flow) : null,
    to,
    curve: smooth ? "linear" : "instant",
    over_s: smooth ? st.seconds : 0,
    exit,
  };
  if (st.limiter && st.limiter.value > 0) {
    phase.limit = mode === "pressure" ? { flow_ml_s: st.limiter.value } : { pressure_bar: st.limiter.value };
    if (st.limiter.range > 0)
      unmapped.push(
        `${where}.limiter range ${st.limiter.range} (the DE1 eases into its limit over this range; here the limit is a ceiling)`,
      );
  }
  if (st.temperature > 0) phase.temperature_c = st.temperature;
  if (st.sensor === "water")
    unmapped.push(`${where}.sensor water (the DE1 targets the mix temperature there; here the brew water temperature)`);
  return phase;
}

function toOurs(d: DecentProfile): Converted<Profile> {
  const unmapped: string[] = [];
  const phases: ProfilePhase[] = [];
  let prev: DecentStep | null = null;
  for (const [i, st] of d.steps.entries()) {
    const where = `steps[${i}]`;
    // A DE1 step of 0 s ends as it starts: nothing of it runs, so it has no phase here either.
    if (st.seconds <= 0) {
      unmapped.push(`${where} "${st.name}" lasts 0 s (skipped, as the DE1 skips it)`);
      continue;
    }
    phases.push(stepToPhase(st, prev, where, unmapped));
    prev = st;
  }
  if (phases.length === 0) throw new ProfileError("the Decent profile has no step that runs");
  if (phases.length > PROFILE_MAX_PHASES)
    throw new ProfileError(`the Decent profile has ${phases.length} steps; at most ${PROFILE_MAX_PHASES} run here`);
  const stops: Profile["stops"] = {};
  if (d.targetWeight > 0) stops.weight_g = d.targetWeight;
  if (d.targetVolume > 0 && d.volumeCountStart > 0)
    // Counted from the start here it would end the shot in the preinfusion: better no volume stop.
    unmapped.push(
      `target_volume ${d.targetVolume} ml counts from step ${d.volumeCountStart + 1} on a Decent (after the preinfusion); ours counts from the start, so it is left out`,
    );
  else if (d.targetVolume > 0) stops.volume_ml = d.targetVolume;
  if (d.tankTemperature > 0) unmapped.push(`tank_temperature ${d.tankTemperature} (the DE1's water tank heater; there is none here)`);
  if (!["espresso", "", "pourover", "filter", "tea_portafilter", "cleaning", "calibrate", "manual"].includes(d.beverage))
    unmapped.push(`beverage_type ${d.beverage}`);
  const first = phases[0]?.temperature_c;
  return {
    result: parseProfile({
      version: PROFILE_VERSION,
      id: slug(d.title, "decent"),
      name: d.title.slice(0, 80) || "Imported from Decent",
      ...(first ? { temperature_c: first } : {}),
      ...(Object.keys(stops).length ? { stops } : {}),
      phases,
    }),
    unmapped,
  };
}

/** Ours → Decent JSON v2. A ramp shorter than its phase becomes a ramp step then a hold step. */
export function toDecentJson(p: Profile): Converted<Obj> {
  const unmapped: string[] = [];
  const steps: Obj[] = [];
  const temp = p.temperature_c ?? 93;
  for (const [i, ph] of p.phases.entries()) {
    const where = `phases[${i}]`;
    if (ph.mode === "power") {
      if (ph.to !== 0) unmapped.push(`${where} power ${ph.to} % (a DE1 step is pressure or flow; written as no flow)`);
    }
    const pump = ph.mode === "pressure" ? "pressure" : "flow";
    const target = ph.mode === "power" ? 0 : ph.to;
    const e = ph.exit;
    const conditions: [string, "over" | "under", number | null | undefined][] = [
      ["pressure", "over", e.pressure_above_bar],
      ["pressure", "under", e.pressure_below_bar],
      ["flow", "over", e.flow_above_ml_s],
      ["flow", "under", e.flow_below_ml_s],
    ];
    const set = conditions.filter((c) => c[2]);
    if (set.length > 1) unmapped.push(`${where} exits on ${set.length} pressure/flow conditions (a DE1 step has one: the first is kept)`);
    const first = set[0];
    if (ph.curve !== "instant" && ph.curve !== "linear") unmapped.push(`${where}.curve ${ph.curve} (the DE1 ramps in a straight line)`);
    if (ph.curve !== "instant" && ph.from !== null) unmapped.push(`${where}.from ${ph.from} (a DE1 ramp starts where the machine is)`);
    const seconds = e.time_s ?? 127;
    if (!e.time_s) unmapped.push(`${where} has no time exit (a DE1 step lasts at most 127 s)`);
    const limitValue = ph.mode === "pressure" ? ph.limit?.flow_ml_s : ph.limit?.pressure_bar;
    const base = {
      name: ph.name,
      temperature: ph.temperature_c ?? temp,
      sensor: "coffee",
      pump,
      pressure: pump === "pressure" ? target : 0,
      flow: pump === "flow" ? target : 0,
      volume: e.volume_ml ?? 0,
      weight: e.weight_g ?? 0,
      ...(first ? { exit: { type: first[0], condition: first[1], value: first[2] } } : {}),
      limiter: { value: limitValue ?? 0, range: 0.6 },
    };
    const ramped = ph.curve !== "instant" && ph.over_s > 0;
    if (ramped && ph.over_s < seconds) {
      steps.push({ ...base, name: `${ph.name} (ramp)`, transition: "smooth", seconds: ph.over_s });
      steps.push({ ...base, transition: "fast", seconds: seconds - ph.over_s });
      if (e.volume_ml || e.weight_g) unmapped.push(`${where}'s volume/weight exit applies to each of its two DE1 steps`);
    } else steps.push({ ...base, transition: ramped ? "smooth" : "fast", seconds });
  }
  const s = p.stops ?? {};
  if (s.time_s) unmapped.push(`stops.time_s ${s.time_s} (a Decent profile has no shot time limit; its steps end it)`);
  return {
    result: {
      version: "2",
      title: p.name,
      author: "BrewOS",
      notes: "",
      beverage_type: "espresso",
      steps,
      tank_temperature: 0,
      target_weight: s.weight_g ?? 0,
      target_volume: s.volume_ml ?? 0,
      target_volume_count_start: 0,
      legacy_profile_type: "settings_2c",
      type: "advanced",
      lang: "en",
      hidden: 0,
      reference_file: p.id,
      changes_since_last_espresso: "",
    },
    unmapped,
  };
}
