/**
 * @module Reading a profile file: ours, Gaggiuino's or GaggiMate's. Whatever did not map is listed
 * so the person sees it before saving; nothing is dropped silently.
 */
import { fromGaggiMate, fromGaggiuino, type Profile, ProfileError, parseProfile } from "@brewos/protocol/profile";

export type ImportResult = { ok: true; profile: Profile; source: string; unmapped: string[] } | { ok: false; message: string };

export function importProfileText(text: string): ImportResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, message: "the file is not JSON" };
  }
  const errors: string[] = [];
  try {
    return { ok: true, profile: parseProfile(raw), source: "BrewOS", unmapped: [] };
  } catch (e) {
    errors.push(`BrewOS: ${(e as Error).message}`);
  }
  for (const [source, convert] of [
    ["Gaggiuino", fromGaggiuino],
    ["GaggiMate", fromGaggiMate],
  ] as const) {
    try {
      const c = convert(raw);
      return { ok: true, profile: c.result, source, unmapped: c.unmapped };
    } catch (e) {
      if (!(e instanceof ProfileError) && !(e instanceof Error)) throw e;
      errors.push(`${source}: ${e.message}`);
    }
  }
  return { ok: false, message: `not a profile this app reads (${errors.join("; ")})` };
}

export function profileFileName(p: Profile): string {
  return `${p.id}.brewos-profile.json`;
}
