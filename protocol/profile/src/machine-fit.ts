/**
 * @module Can this machine run this profile? The same rule the controller applies when a profile
 * is uploaded (controller/core/profile/profile.c `profile_check_relay`), so the app can say so
 * before the owner presses Brew, in words rather than an error code.
 */
import type { Profile, ProfilePhase } from "./types.ts";

/** How the machine drives its pump: a relay (on or off), or something that follows a target. */
export type PumpDrive = "on_off" | "dimmable" | "gear";

export interface FitProblem {
  phase: number;
  name: string;
  /** What the phase asks that an on/off pump cannot give. */
  kind: "pressure" | "flow" | "power" | "ramp";
  from: number | null;
  to: number;
}

/** Why a phase cannot run on an on/off pump; null when it can. */
function relayProblem(ph: ProfilePhase): FitProblem["kind"] | null {
  if (ph.mode === "pressure") return "pressure";
  if (ph.mode === "flow") return "flow";
  if (ph.to !== 0 && ph.to !== 100) return "power";
  const steady = ph.from === null || ph.from === ph.to || ph.curve === "instant";
  return steady ? null : "ramp";
}

const WORDS: Record<FitProblem["kind"], (p: FitProblem) => string> = {
  pressure: (p) => `holds ${p.to} bar of pressure`,
  flow: (p) => `holds a flow of ${p.to} ml/s`,
  power: (p) => `runs the pump at ${p.to} %`,
  ramp: (p) => `ramps the pump from ${p.from} % to ${p.to} %`,
};

export interface ProfileFit {
  ok: boolean;
  /** The first phase the machine cannot follow (0-based), when not ok. */
  phase?: number;
  /** In people's words (English), when not ok: what the phase asks and why this machine cannot. */
  reason?: string;
  /** The same, as data (an app words it in its own language). */
  problem?: FitProblem;
}

/** Whether a machine with this pump can follow every phase of the profile. */
export function profileFit(profile: Profile, pump: PumpDrive): ProfileFit {
  if (pump !== "on_off") return { ok: true };
  for (const [i, ph] of profile.phases.entries()) {
    const kind = relayProblem(ph);
    if (kind) {
      const problem: FitProblem = { phase: i, name: ph.name, kind, from: ph.from, to: ph.to };
      return {
        ok: false,
        phase: i,
        reason: `Phase ${i + 1} (“${ph.name}”) ${WORDS[kind](problem)}; this machine's pump can only be switched on or off.`,
        problem,
      };
    }
  }
  return { ok: true };
}
