/**
 * @module Reading a profile file: ours, Gaggiuino's or GaggiMate's. Whatever did not map is listed
 * so the person sees it before saving; nothing is dropped silently.
 */
import { fromGaggiMate, fromGaggiuino, type Profile, ProfileError, parseProfile } from "@brewos/protocol/profile";
import { t } from "../../i18n/i18n.ts";

export type ImportResult = { ok: true; profile: Profile; source: string; unmapped: string[] } | { ok: false; message: string };

export function importProfileText(text: string): ImportResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, message: t("the file is not JSON") };
  }
  const source = detect(raw);
  if (!source) return { ok: false, message: t("not a BrewOS, Gaggiuino or GaggiMate profile (no phases)") };
  try {
    if (source === "BrewOS") return { ok: true, profile: parseProfile(raw), source, unmapped: [] };
    const c = source === "Gaggiuino" ? fromGaggiuino(raw) : fromGaggiMate(raw);
    // What a converter produced must still be a profile the machine accepts.
    return { ok: true, profile: parseProfile(c.result), source, unmapped: c.unmapped };
  } catch (e) {
    if (!(e instanceof ProfileError)) throw e;
    return { ok: false, message: t("a {source} profile, but {why}", { source, why: e.message }) };
  }
}

/** Which format a parsed file is in, from the shape of its phases. */
function detect(raw: unknown): "BrewOS" | "Gaggiuino" | "GaggiMate" | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const o = raw as Record<string, unknown>;
  const first = Array.isArray(o.phases) ? (o.phases[0] as Record<string, unknown> | undefined) : undefined;
  if (!first || typeof first !== "object") return null;
  if ("mode" in first && "exit" in first) return "BrewOS";
  if ("label" in o || "pump" in first || "transition" in first) return "GaggiMate";
  if ("target" in first || first.type === "PRESSURE" || first.type === "FLOW") return "Gaggiuino";
  return "BrewOS"; // let the strict parser say what is wrong
}

export function profileFileName(p: Profile): string {
  return `${p.id}.brewos-profile.json`;
}
