/**
 * @module Validates untrusted JSON as a Profile, strictly: unknown keys, wrong types and
 * out-of-range values are errors naming their place, so a bad import never half-loads.
 */
import { CURVES, MODE_MAX, MODES, PROFILE_MAX_PHASES, type Profile, type ProfilePhase } from "./types.ts";

export class ProfileError extends Error {}

type Obj = Record<string, unknown>;

function object(v: unknown, where: string): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new ProfileError(`${where} must be an object`);
  return v as Obj;
}

function only(o: Obj, keys: readonly string[], where: string): void {
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) throw new ProfileError(`unknown key "${k}" in ${where} (allowed: ${keys.join(", ")})`);
  }
}

function num(o: Obj, key: string, lo: number, hi: number, where: string): number | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "number" || !Number.isFinite(v) || v < lo || v > hi) {
    throw new ProfileError(`${where}.${key} must be a number in ${lo}..${hi}`);
  }
  return v;
}

function phase(raw: unknown, i: number): ProfilePhase {
  const where = `phases[${i}]`;
  const o = object(raw, where);
  only(o, ["name", "mode", "from", "to", "curve", "over_s", "limit", "temperature_c", "exit"], where);
  const mode = o.mode;
  if (typeof mode !== "string" || !MODES.includes(mode as ProfilePhase["mode"])) {
    throw new ProfileError(`${where}.mode must be pressure, flow or power`);
  }
  const m = mode as ProfilePhase["mode"];
  const to = num(o, "to", 0, MODE_MAX[m], where);
  if (to === null) throw new ProfileError(`${where} needs "to"`);
  const curve = o.curve ?? "instant";
  if (typeof curve !== "string" || !CURVES.includes(curve as ProfilePhase["curve"])) {
    throw new ProfileError(`${where}.curve "${String(curve)}" is not a curve`);
  }
  const out: ProfilePhase = {
    name: typeof o.name === "string" ? o.name : `phase ${i + 1}`,
    mode: m,
    from: num(o, "from", 0, MODE_MAX[m], where),
    to,
    curve: curve as ProfilePhase["curve"],
    over_s: num(o, "over_s", 0, 600, where) ?? 0,
    exit: {},
  };
  if (o.limit !== undefined) {
    const l = object(o.limit, `${where}.limit`);
    only(l, ["flow_ml_s", "pressure_bar"], `${where}.limit`);
    out.limit = { flow_ml_s: num(l, "flow_ml_s", 0, 20, where), pressure_bar: num(l, "pressure_bar", 0, 16, where) };
  }
  // As low as 1 °C: community profiles set a few degrees for "boiler off" during a phase (0 is
  // "no temperature" on the wire).
  const temp = num(o, "temperature_c", 1, 105, where);
  if (temp !== null) out.temperature_c = temp;
  if (o.exit !== undefined) {
    const e = object(o.exit, `${where}.exit`);
    const keys = [
      "time_s",
      "weight_g",
      "volume_ml",
      "pressure_above_bar",
      "pressure_below_bar",
      "flow_above_ml_s",
      "flow_below_ml_s",
    ] as const;
    only(e, keys, `${where}.exit`);
    const hi: Record<(typeof keys)[number], number> = {
      time_s: 600,
      weight_g: 500,
      volume_ml: 2000,
      pressure_above_bar: 16,
      pressure_below_bar: 16,
      flow_above_ml_s: 20,
      flow_below_ml_s: 20,
    };
    for (const k of keys) {
      const v = num(e, k, 0, hi[k], `${where}.exit`);
      if (v !== null) out.exit[k] = v;
    }
  }
  return out;
}

/** Parse untrusted JSON into a Profile or throw ProfileError saying what and where. */
export function parseProfile(raw: unknown): Profile {
  const o = object(raw, "the profile");
  only(o, ["version", "id", "name", "temperature_c", "stops", "phases"], "the profile");
  if (o.version !== undefined && o.version !== 1 && o.version !== 2) throw new ProfileError("version must be 1 or 2");
  if (typeof o.id !== "string" || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(o.id)) throw new ProfileError("id must be a short kebab-case name");
  if (typeof o.name !== "string" || o.name.length === 0 || o.name.length > 80) throw new ProfileError("name must be 1..80 characters");
  if (!Array.isArray(o.phases) || o.phases.length < 1 || o.phases.length > PROFILE_MAX_PHASES) {
    throw new ProfileError(`phases must hold 1..${PROFILE_MAX_PHASES} phases`);
  }
  const p: Profile = {
    ...(o.version !== undefined ? { version: o.version as 1 | 2 } : {}),
    id: o.id,
    name: o.name,
    phases: o.phases.map(phase),
  };
  const temp = num(o, "temperature_c", 1, 105, "profile");
  if (temp !== null) p.temperature_c = temp;
  if (o.stops !== undefined) {
    const s = object(o.stops, "stops");
    only(s, ["weight_g", "time_s", "volume_ml"], "stops");
    p.stops = {
      weight_g: num(s, "weight_g", 0, 500, "stops"),
      time_s: num(s, "time_s", 0, 600, "stops"),
      volume_ml: num(s, "volume_ml", 0, 2000, "stops"),
    };
  }
  return p;
}
