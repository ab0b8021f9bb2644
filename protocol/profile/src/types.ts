/**
 * @module Shot profile types in their JSON form (protocol/profile/README.md).
 */

export type ProfileMode = "pressure" | "flow" | "power";
export type ProfileCurve = "instant" | "linear" | "ease_in" | "ease_out" | "ease_in_out";

export interface ProfileExit {
  time_s?: number | null;
  weight_g?: number | null;
  volume_ml?: number | null;
  pressure_above_bar?: number | null;
  pressure_below_bar?: number | null;
  flow_above_ml_s?: number | null;
  flow_below_ml_s?: number | null;
}

export interface ProfilePhase {
  name: string;
  mode: ProfileMode;
  /** Start of the target; null: the value measured when the phase begins. Bar, ml/s or percent. */
  from: number | null;
  to: number;
  curve: ProfileCurve;
  over_s: number;
  limit?: { flow_ml_s?: number | null; pressure_bar?: number | null };
  temperature_c?: number | null;
  exit: ProfileExit;
}

export interface Profile {
  /** 2: a phase's `exit.volume_ml` counts from the phase's start. 1 or absent: from the shot's start
   * (files written before version 2 keep that meaning). */
  version?: 1 | 2;
  id: string;
  name: string;
  temperature_c?: number | null;
  stops?: { weight_g?: number | null; time_s?: number | null; volume_ml?: number | null };
  phases: ProfilePhase[];
}

export const PROFILE_MAX_PHASES = 16;
/** The version new profiles are written in; version 1 is still read (and run with its meaning). */
export const PROFILE_VERSION = 2;
export const PROFILE_HEADER_BYTES = 10;
export const PROFILE_PHASE_BYTES = 26;
/** Largest target per mode, in the JSON unit. */
export const MODE_MAX: Record<ProfileMode, number> = { pressure: 16, flow: 20, power: 100 };
export const CURVES: readonly ProfileCurve[] = ["instant", "linear", "ease_in", "ease_out", "ease_in_out"];
export const MODES: readonly ProfileMode[] = ["pressure", "flow", "power"];
