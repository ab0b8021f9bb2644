/**
 * @module A recorded shot's goal series, rebuilt from its profile and its phases: what the controller
 * aimed at each sample (the same rule as the controller's executor: a ramp from `from`, or from what
 * was measured as the phase began), for Visualizer's goal lines. Samples record no target themselves.
 */

import type { SampleRow } from "@brewos/protocol/api";
import { type Profile, parseProfile, phaseTarget } from "@brewos/protocol/profile";

/** de1app writes −1 for the quantity a step does not control; Visualizer leaves it undrawn. */
const NOT_CONTROLLED = -1;

export interface Goals {
  pressure: number[];
  flow: number[];
  temperature: number[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The goal series for `rows`, or null when the shot ran without a profile we can read. */
export function goalSeries(profileJson: string | null, rows: readonly SampleRow[]): Goals | null {
  let profile: Profile;
  try {
    profile = parseProfile(JSON.parse(profileJson ?? "null"));
  } catch {
    return null;
  }
  const goals: Goals = { pressure: [], flow: [], temperature: [] };
  let phaseIndex: number | null = null;
  let startT = 0;
  let atStart = 0;
  for (const r of rows) {
    const ph = r.phase === null ? undefined : profile.phases[r.phase];
    if (!ph) {
      goals.pressure.push(NOT_CONTROLLED);
      goals.flow.push(NOT_CONTROLLED);
      goals.temperature.push(profile.temperature_c ?? NOT_CONTROLLED);
      continue;
    }
    if (r.phase !== phaseIndex) {
      phaseIndex = r.phase;
      startT = r.t_s;
      atStart = ph.mode === "pressure" ? r.pressure_bar : ph.mode === "flow" ? r.flow_ml_s : r.pump_pct;
    }
    const target = round2(phaseTarget(ph, r.t_s - startT, atStart));
    goals.pressure.push(ph.mode === "pressure" ? target : NOT_CONTROLLED);
    goals.flow.push(ph.mode === "flow" ? target : NOT_CONTROLLED);
    goals.temperature.push(ph.temperature_c ?? profile.temperature_c ?? NOT_CONTROLLED);
  }
  return goals;
}
