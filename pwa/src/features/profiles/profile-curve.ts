/**
 * @module A profile's targets over time, for drawing: each phase ramps from its start (or where
 * the last one ended) to its target along its curve, then holds until its time exit. Phases that
 * end on weight, volume, pressure or flow have no fixed length; they are drawn for a nominal time.
 */
import type { Profile, ProfileCurve, ProfileMode } from "@brewos/protocol/profile";

export interface CurvePoint {
  t: number;
  v: number;
  mode: ProfileMode;
  phase: number;
}

const NOMINAL_PHASE_S = 10;

function shape(c: ProfileCurve, x: number): number {
  switch (c) {
    case "instant":
      return 1;
    case "linear":
      return x;
    case "ease_in":
      return x * x;
    case "ease_out":
      return 1 - (1 - x) * (1 - x);
    case "ease_in_out":
      return x < 0.5 ? 2 * x * x : 1 - 2 * (1 - x) * (1 - x);
  }
}

/** Points every 0.25 s; the value is in the phase's own unit (bar, ml/s, or % of pump power). */
export function profileCurve(p: Profile): CurvePoint[] {
  const out: CurvePoint[] = [];
  let t = 0;
  let last = 0;
  p.phases.forEach((ph, i) => {
    const length = ph.exit.time_s ?? Math.max(ph.over_s, NOMINAL_PHASE_S);
    const from = ph.from ?? last;
    for (let s = 0; s <= length + 1e-9; s += 0.25) {
      const x = ph.over_s > 0 ? Math.min(1, s / ph.over_s) : 1;
      out.push({ t: t + s, v: from + (ph.to - from) * shape(ph.curve, x), mode: ph.mode, phase: i });
    }
    t += length;
    last = ph.to;
  });
  return out;
}

export const MODE_UNIT: Record<ProfileMode, string> = { pressure: "bar", flow: "ml/s", power: "%" };
