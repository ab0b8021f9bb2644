/**
 * @module What each source firmware would do with its own profile file, replayed on a measured shot:
 * given the pressure, pump flow, cup weight and water of a shot, which phase the source would be in
 * at each moment and what it would aim at. Written from the source firmwares' rules (Gaggiuino's
 * Phase::getTarget / PhaseStopConditions::isReached, GaggiMate's phase targets and adaptive
 * transitions, the DE1's frames as de1app writes them) and reading the source file itself — not our
 * converted profile — so a conversion mistake shows as a difference.
 */

import { flowProfileSteps, pressureProfileSteps } from "../src/decent-simple.ts";
import { type DecentStep, decentNumber, decentStep } from "../src/decent-step.ts";
import { curveFraction } from "../src/target.ts";
import { tclDict, tclList } from "../src/tcl.ts";
import { CURVES, type ProfileCurve } from "../src/types.ts";

/** One 10 Hz sample of a simulated shot. */
export interface Sample {
  t_s: number;
  pressure_bar: number;
  flow_ml_s: number;
  cup_g: number;
  water_ml: number;
}

/** The source's view at one sample: its phase (null: the shot is over for it) and its target. */
export interface Expected {
  phase: number | null;
  target: number;
  /** How far ours may be from `target` for a difference the import declared (a curve's shape). */
  allowance: number;
  /** On the last sample of our shot: whether the source would end the shot there too. */
  ends?: boolean;
}

type Obj = Record<string, unknown>;
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);

/** How far a reading may be from a threshold and still explain a phase change our controller made:
 * the source reads its own sensors at its own rate, ours are filtered at 100 Hz. */
export interface Slack {
  bar: number;
  ml_s: number;
  g: number;
  ml: number;
  s: number;
}
const STRICT: Slack = { bar: 0, ml_s: 0, g: 0, ml: 0, s: 0 };
export const READING_SLACK: Slack = { bar: 0.1, ml_s: 0.2, g: 0.5, ml: 2, s: 0.2 };

/** Differences an import declared that the replay then takes as given, so only undeclared ones show. */
export interface Declared {
  /** Our "below" exits wait this long into a phase (0: the source's rule, at once). */
  below_after_s: number;
}
export const NOTHING_DECLARED: Declared = { below_after_s: 0 };
/** A phase change may land this far from the source's (our 10 ms tick against 100 ms samples). */
const TIME_SKEW_S = 0.1;

/** A generic phase machine: each source supplies how a phase aims and ends. */
interface RefPhase {
  mode: "pressure" | "flow" | "power";
  /** Target at `t` seconds into the phase, given the sample the phase began on. */
  target(t: number, start: Sample): number;
  /** The declared bound on ours differing from `target` in this phase (0: none). */
  allowance?: (start: Sample) => number;
  /** Whether the phase is over at sample `s`, `t` seconds in, having begun on `start`, within `x`. */
  done(t: number, s: Sample, start: Sample, x: Slack): boolean;
}

/**
 * Walk the source's phases over the samples. The source moves on when its rules say so; it also
 * follows a phase change of ours (`ours[i]`) that its rules explain within READING_SLACK, so two
 * readings a hair apart do not count as a different shot.
 */
/** The source's shot-level stops at sample `s`; `starts[k]` is the sample phase k began on. */
type ShotDone = (s: Sample, starts: Sample[], x: Slack) => boolean;

/** Where our shot ended, whether the source would end it there too: its last phase over, or a
 * shot stop met within reading slack (a weight stop up to 3 g early: brew-by-weight stops the pump
 * before the cup reaches the target, by design, as the peers' predictive stops do). */
export const END_SLACK: Slack = { ...{ bar: 0.1, ml_s: 0.2, ml: 2, s: 0.3 }, g: 3 };

function replay(phases: RefPhase[], shotDone: ShotDone, samples: Sample[], ours?: number[]): Expected[] {
  const out: Expected[] = [];
  const starts: Sample[] = [];
  let k = 0;
  let start = samples[0];
  let startT = 0; // the first phase starts with the shot, a sample before the first row
  if (start) starts.push(start);
  for (const [i, s] of samples.entries()) {
    if (start === undefined) break;
    for (;;) {
      const ph = phases[k];
      if (!ph) break;
      const t = s.t_s - startT;
      const follow = ours !== undefined && (ours[i] ?? 0) > k && ph.done(t, s, start, READING_SLACK);
      if (!follow && !ph.done(t, s, start, STRICT)) break;
      k++;
      start = s;
      startT = s.t_s;
      starts.push(s);
    }
    const ph = phases[k];
    const last = i === samples.length - 1;
    if (!ph || shotDone(s, starts, STRICT)) {
      out.push({ phase: null, target: 0, allowance: 0, ends: true });
      continue;
    }
    if (last) {
      const t = s.t_s - startT;
      const ends = shotDone(s, starts, END_SLACK) || (k === phases.length - 1 && ph.done(t, s, start, END_SLACK));
      out.push({ phase: k, target: ph.target(t, start), allowance: 0, ends });
      continue;
    }
    const t = s.t_s - startT;
    // A target moving fast makes a 0.1 s skew in where a phase began a visible difference: allow it.
    const skew = Math.abs(ph.target(t + TIME_SKEW_S, start) - ph.target(Math.max(0, t - TIME_SKEW_S), start)) / 2;
    out.push({ phase: k, target: ph.target(t, start), allowance: (ph.allowance?.(start) ?? 0) + skew });
  }
  return out;
}

/** Gaggiuino's own easing (its percentageWithTransition): powers of 1.675 and a sine S-curve. */
function gaggiuinoEase(curve: string, x: number): number {
  const u = Math.min(1, Math.max(0, x));
  if (curve === "INSTANT") return 1;
  if (curve === "LINEAR") return u;
  if (curve === "EASE_IN") return u ** 1.675;
  if (curve === "EASE_OUT") return 1 - (1 - u) ** 1.675;
  return 0.5 * (Math.sin((u - 0.5) * Math.PI) + 1);
}

/** Largest gap between Gaggiuino's curve and ours (quadratic), as a fraction of the ramp: what its
 * import declares. */
export const GAGGIUINO_CURVE_GAP: Record<string, number> = { EASE_IN: 0.066, EASE_OUT: 0.066, EASE_IN_OUT: 0.029 };

const measured = (mode: RefPhase["mode"], s: Sample) => (mode === "pressure" ? s.pressure_bar : s.flow_ml_s);

/** Gaggiuino (its newest Phase rules): a start ≤ 0 is the measured value; exits on any stop condition. */
export function gaggiuinoReference(raw: unknown, samples: Sample[], ours?: number[], d: Declared = NOTHING_DECLARED): Expected[] {
  const g = raw as Obj;
  const phases: RefPhase[] = ((g.phases as Obj[]) ?? []).map((p) => {
    const tg = (p.target ?? {}) as Obj;
    const sc = (p.stopConditions ?? {}) as Obj;
    const mode = p.type === "PRESSURE" ? "pressure" : "flow";
    const curve = String(tg.curve ?? "INSTANT");
    const from = (st: Sample) => (num(tg.start) > 0 ? num(tg.start) : measured(mode, st));
    return {
      mode,
      target: (t, st) => {
        const over = num(tg.time) / 1000;
        return over <= 0 ? num(tg.end) : from(st) + (num(tg.end) - from(st)) * gaggiuinoEase(curve, t / over);
      },
      allowance: (st) => (GAGGIUINO_CURVE_GAP[curve] ?? 0) * Math.abs(num(tg.end) - from(st)),
      done: (t, s, st, x) =>
        (num(sc.time) > 0 && t + x.s >= num(sc.time) / 1000) ||
        (num(sc.weight) > 0 && s.cup_g + x.g > num(sc.weight)) ||
        (num(sc.pressureAbove) > 0 && s.pressure_bar + x.bar > num(sc.pressureAbove)) ||
        (num(sc.pressureBelow) > 0 && t >= d.below_after_s && s.pressure_bar - x.bar < num(sc.pressureBelow)) ||
        (num(sc.waterPumpedInPhase) > 0 && s.water_ml - st.water_ml + x.ml >= num(sc.waterPumpedInPhase)) ||
        (num(sc.flowAbove) > 0 && s.flow_ml_s + x.ml_s > num(sc.flowAbove)) ||
        (num(sc.flowBelow) > 0 && t >= d.below_after_s && s.flow_ml_s - x.ml_s < num(sc.flowBelow)),
    } satisfies RefPhase;
  });
  const gs = (g.globalStopConditions ?? {}) as Obj;
  const over: ShotDone = (s, _, x) =>
    s.t_s >= 1 &&
    ((num(gs.weight) > 0 && s.cup_g + x.g > num(gs.weight)) ||
      (num(gs.waterPumped) > 0 && s.water_ml + x.ml > num(gs.waterPumped)) ||
      (num(gs.time) > 0 && s.t_s + x.s >= num(gs.time) / 1000));
  return replay(phases, over, samples, ours);
}

/** GaggiMate: ramps from the measured value when adaptive, from 0 when not; exits on duration or any target. */
export function gaggimateReference(raw: unknown, samples: Sample[], ours?: number[], dec: Declared = NOTHING_DECLARED): Expected[] {
  const g = raw as Obj;
  const list = (g.phases as Obj[]) ?? [];
  let finalWeight = 0;
  const phases: RefPhase[] = list.map((p, i) => {
    const pump = p.pump;
    const q = (typeof pump === "object" && pump !== null ? pump : {}) as Obj;
    const mode: RefPhase["mode"] = typeof pump === "number" ? "power" : q.target === "pressure" ? "pressure" : "flow";
    const to = typeof pump === "number" ? pump / 100 : Math.max(0, num(mode === "pressure" ? q.pressure : q.flow));
    const tr = (p.transition ?? {}) as Obj;
    const curve = String(tr.type ?? "instant").replace(/-/g, "_") as ProfileCurve;
    const targets = (Array.isArray(p.targets) ? p.targets : []) as Obj[];
    const last = i === list.length - 1;
    for (const t of targets) if (last && t.type === "volumetric" && t.operator !== "lte") finalWeight = num(t.value);
    return {
      mode,
      target: (t, st) => {
        if (mode === "power") return to;
        const from = tr.adaptive ? measured(mode, st) : 0;
        const over = num(tr.duration);
        // GaggiMate's easing shapes were not found in its source: taken as ours (SOURCES.md).
        return over <= 0 ? to : from + (to - from) * curveFraction(CURVES.includes(curve) ? curve : "linear", t / over);
      },
      done: (t, s, st, x) =>
        (num(p.duration) > 0 && !(last && finalWeight > 0) && t + x.s >= num(p.duration)) ||
        targets.some((tg) => {
          const v = num(tg.value);
          const gte = tg.operator !== "lte";
          const [m, d] =
            tg.type === "pressure"
              ? [s.pressure_bar, x.bar]
              : tg.type === "flow"
                ? [s.flow_ml_s, x.ml_s]
                : tg.type === "pumped"
                  ? [s.water_ml - st.water_ml, x.ml]
                  : tg.type === "volumetric"
                    ? [s.cup_g, x.g]
                    : [Number.NaN, 0];
          if (tg.type === "volumetric" && last) return false;
          if (!gte && (tg.type === "pressure" || tg.type === "flow") && t < dec.below_after_s) return false;
          return gte ? m + d >= v : m - d <= v;
        }),
    } satisfies RefPhase;
  });
  return replay(phases, (s, _, x) => finalWeight > 0 && s.cup_g + x.g >= finalWeight, samples, ours);
}

/** The DE1 running a de1app profile's frames: fast jumps, smooth ramps across the frame, one exit each. */
export function decentReference(text: string, samples: Sample[], ours?: number[], dec: Declared = NOTHING_DECLARED): Expected[] {
  let steps: DecentStep[];
  let targetWeight: number;
  let raw: Obj | null = null;
  try {
    raw = JSON.parse(text) as Obj;
  } catch {
    raw = null;
  }
  let targetVolume: number;
  let countStart: number;
  if (raw) {
    steps = ((raw.steps as unknown[]) ?? []).map(decentStep);
    targetWeight = decentNumber(raw.target_weight);
    targetVolume = decentNumber(raw.target_volume);
    countStart = decentNumber(raw.target_volume_count_start ?? raw.number_of_preinfuse_frames ?? raw.preinfuse_frame_count);
  } else {
    const s = tclDict(text);
    const kind = s.settings_profile_type ?? "settings_2a";
    if (kind === "settings_2b") steps = flowProfileSteps(s);
    else if (kind === "settings_2c" || kind === "settings_2c2")
      steps = tclList(s.advanced_shot ?? "").map((t, i) => decentStep(tclDict(t), i));
    else steps = pressureProfileSteps(s);
    const advanced = kind === "settings_2c" || kind === "settings_2c2";
    targetWeight = decentNumber(
      advanced ? (s.final_desired_shot_weight_advanced ?? s.final_desired_shot_weight) : s.final_desired_shot_weight,
    );
    targetVolume = decentNumber(advanced ? s.final_desired_shot_volume_advanced : s.final_desired_shot_volume);
    countStart = advanced
      ? decentNumber(s.final_desired_shot_volume_advanced_count_start)
      : steps.filter((st) => st.name.startsWith("preinfusion")).length;
  }
  const run = steps.filter((st) => st.seconds > 0);
  const phases: RefPhase[] = run.map((st, i) => {
    const mode = st.pump === "flow" ? "flow" : "pressure";
    const to = mode === "pressure" ? st.pressure : st.flow;
    const prev = run[i - 1];
    return {
      mode,
      target: (t, s0) => {
        if (st.transition !== "smooth") return to;
        const from = prev && prev.pump === st.pump ? (prev.pump === "flow" ? prev.flow : prev.pressure) : measured(mode, s0);
        return from + (to - from) * Math.min(1, t / st.seconds);
      },
      done: (t, s, s0, x) => {
        if (t + x.s >= st.seconds) return true;
        if (st.volume > 0 && s.water_ml - s0.water_ml + x.ml >= st.volume) return true;
        if (st.weight > 0 && s.cup_g + x.g >= st.weight) return true;
        const e = st.exit;
        if (!e || e.value <= 0) return false;
        const [m, d] = e.type === "pressure" ? [s.pressure_bar, x.bar] : [s.flow_ml_s, x.ml_s];
        if (e.condition === "under" && t < dec.below_after_s) return false;
        return e.condition === "over" ? m + d > e.value : m - d < e.value;
      },
    } satisfies RefPhase;
  });
  // The DE1 counts the shot's volume stop from step `countStart` on (de1app: after the preinfusion).
  const firstCounted = run.length > countStart ? countStart : -1;
  const done: ShotDone = (s, starts, x) =>
    (targetWeight > 0 && s.cup_g + x.g >= targetWeight) ||
    (targetVolume > 0 &&
      firstCounted >= 0 &&
      starts[firstCounted] !== undefined &&
      s.water_ml - (starts[firstCounted]?.water_ml ?? 0) + x.ml >= targetVolume);
  return replay(phases, done, samples, ours);
}
