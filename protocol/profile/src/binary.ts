/**
 * @module The compact binary form uploaded to a controller slot (layout in protocol/profile/README.md
 * and controller/core/profile/profile.h). Encoding rounds each value to its integer wire unit exactly
 * as the controller's own reader does; golden vectors pin both.
 */
import { CURVES, MODES, PROFILE_HEADER_BYTES, PROFILE_PHASE_BYTES, type Profile, type ProfilePhase } from "./types.ts";

const FROM_CURRENT = 0xffff;
const scale = (m: ProfilePhase["mode"]) => (m === "power" ? 10 : 1000);
const u16 = (x: number | null | undefined, s: number) => (x === null || x === undefined ? 0 : Math.round(x * s));

/** Binary form of a validated profile. */
export function encodeProfile(p: Profile): Uint8Array {
  const out = new Uint8Array(PROFILE_HEADER_BYTES + p.phases.length * PROFILE_PHASE_BYTES);
  const v = new DataView(out.buffer);
  // Version 1 (or none) keeps a phase's volume exit counted from the shot start on the controller.
  out[0] = p.version ?? 1;
  out[1] = p.phases.length;
  v.setInt16(2, p.temperature_c ? Math.round(p.temperature_c * 100) : 0, true);
  v.setUint16(4, u16(p.stops?.weight_g, 10), true);
  v.setUint16(6, u16(p.stops?.time_s, 10), true);
  v.setUint16(8, u16(p.stops?.volume_ml, 1), true);
  p.phases.forEach((ph, i) => {
    const o = PROFILE_HEADER_BYTES + i * PROFILE_PHASE_BYTES;
    const s = scale(ph.mode);
    out[o] = MODES.indexOf(ph.mode);
    out[o + 1] = CURVES.indexOf(ph.curve);
    v.setUint16(o + 2, ph.from === null ? FROM_CURRENT : u16(ph.from, s), true);
    v.setUint16(o + 4, u16(ph.to, s), true);
    v.setUint16(o + 6, u16(ph.over_s, 10), true);
    const limit = ph.mode === "pressure" ? ph.limit?.flow_ml_s : ph.mode === "flow" ? ph.limit?.pressure_bar : null;
    v.setUint16(o + 8, u16(limit, 1000), true);
    v.setInt16(o + 10, ph.temperature_c ? Math.round(ph.temperature_c * 100) : 0, true);
    const e = ph.exit;
    v.setUint16(o + 12, u16(e.time_s, 10), true);
    v.setUint16(o + 14, u16(e.weight_g, 10), true);
    v.setUint16(o + 16, u16(e.volume_ml, 1), true);
    v.setUint16(o + 18, u16(e.pressure_above_bar, 1000), true);
    v.setUint16(o + 20, u16(e.pressure_below_bar, 1000), true);
    v.setUint16(o + 22, u16(e.flow_above_ml_s, 1000), true);
    v.setUint16(o + 24, u16(e.flow_below_ml_s, 1000), true);
  });
  return out;
}

/** Whether an on/off (relay) pump can run it: power phases at 0 or 100 % only. */
export function relayCompatible(p: Profile): { ok: true } | { ok: false; phase: number; reason: string } {
  for (const [i, ph] of p.phases.entries()) {
    if (ph.mode !== "power" || (ph.to !== 0 && ph.to !== 100)) {
      return { ok: false, phase: i, reason: `phase "${ph.name}" needs ${ph.mode === "power" ? "partial power" : `${ph.mode} control`}` };
    }
  }
  return { ok: true };
}
