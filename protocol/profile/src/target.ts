/**
 * @module What a phase aims at, `t_s` seconds in: the TS twin of the controller's profile_target
 * (controller/core/profile/profile.c), for drawing a profile and for a shot's goal series.
 */
import type { ProfileCurve, ProfilePhase } from "./types.ts";

/** How far along its ramp a curve is at fraction `x` of the ramp time (0..1). */
export function curveFraction(c: ProfileCurve, x: number): number {
  const u = Math.min(1, Math.max(0, x));
  switch (c) {
    case "instant":
      return 1;
    case "linear":
      return u;
    case "ease_in":
      return u * u;
    case "ease_out":
      return 1 - (1 - u) * (1 - u);
    case "ease_in_out":
      return u < 0.5 ? 2 * u * u : 1 - 2 * (1 - u) * (1 - u);
  }
}

/** The phase's target at `t_s` in its own unit; `atStart` is what was measured (or aimed at) as it began. */
export function phaseTarget(ph: ProfilePhase, t_s: number, atStart: number): number {
  const from = ph.from ?? atStart;
  const x = ph.over_s > 0 ? t_s / ph.over_s : 1;
  return from + (ph.to - from) * curveFraction(ph.curve, x);
}
