/**
 * @module Can this machine run this profile? The same rule the controller applies when a profile
 * is uploaded (controller/core/profile/profile.c `profile_check_relay`), so the app can say so
 * before the owner presses Brew, in words rather than an error code.
 */
import type { Profile, ProfilePhase } from "./types.ts";

/** How the machine drives its pump: a relay (on or off), or something that follows a target. */
export type PumpDrive = "on_off" | "dimmable" | "gear";

/** Why a phase cannot run on an on/off pump; null when it can. */
function relayProblem(ph: ProfilePhase): string | null {
  if (ph.mode === "pressure") return `holds ${ph.to} bar of pressure`;
  if (ph.mode === "flow") return `holds a flow of ${ph.to} ml/s`;
  if (ph.to !== 0 && ph.to !== 100) return `runs the pump at ${ph.to} %`;
  const steady = ph.from === null || ph.from === ph.to || ph.curve === "instant";
  return steady ? null : `ramps the pump from ${ph.from} % to ${ph.to} %`;
}

export interface ProfileFit {
  ok: boolean;
  /** The first phase the machine cannot follow (0-based), when not ok. */
  phase?: number;
  /** In people's words, when not ok: what the phase asks and why this machine cannot. */
  reason?: string;
}

/** Whether a machine with this pump can follow every phase of the profile. */
export function profileFit(profile: Profile, pump: PumpDrive): ProfileFit {
  if (pump !== "on_off") return { ok: true };
  for (const [i, ph] of profile.phases.entries()) {
    const problem = relayProblem(ph);
    if (problem)
      return {
        ok: false,
        phase: i,
        reason: `Phase ${i + 1} (“${ph.name}”) ${problem}; this machine's pump can only be switched on or off.`,
      };
  }
  return { ok: true };
}
