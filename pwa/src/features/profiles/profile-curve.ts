/**
 * @module A profile's targets over time, for drawing: each phase ramps from its start (or where
 * the last one ended) to its target along its curve, then holds until its time exit. Phases that
 * end on weight, volume, pressure or flow have no fixed length; they are drawn for a nominal time.
 */
import { type Profile, type ProfileMode, phaseTarget } from "@brewos/protocol/profile";

export interface CurvePoint {
  t: number;
  v: number;
  mode: ProfileMode;
  phase: number;
}

const NOMINAL_PHASE_S = 10;

/** Points every 0.25 s; the value is in the phase's own unit (bar, ml/s, or % of pump power). */
export function profileCurve(p: Profile): CurvePoint[] {
  const out: CurvePoint[] = [];
  let t = 0;
  let last = 0;
  p.phases.forEach((ph, i) => {
    const length = ph.exit.time_s ?? Math.max(ph.over_s, NOMINAL_PHASE_S);
    for (let s = 0; s <= length + 1e-9; s += 0.25) out.push({ t: t + s, v: phaseTarget(ph, s, last), mode: ph.mode, phase: i });
    t += length;
    last = ph.to;
  });
  return out;
}

export const MODE_UNIT: Record<ProfileMode, string> = { pressure: "bar", flow: "ml/s", power: "%" };
