/**
 * @module Reading a profile file: ours, Gaggiuino's, GaggiMate's or Decent's (Tcl or JSON v2).
 * Whatever did not map is listed so the person sees it before saving; nothing is dropped silently.
 */
import { importProfile, type Profile, ProfileError, ProfileImportError } from "@brewos/protocol/profile";
import { t } from "../../i18n/i18n.ts";

export type ImportResult = { ok: true; profile: Profile; source: string; unmapped: string[] } | { ok: false; message: string };

export function importProfileText(text: string): ImportResult {
  try {
    const c = importProfile(text);
    return { ok: true, profile: c.result, source: c.source, unmapped: c.unmapped };
  } catch (e) {
    if (!(e instanceof ProfileError)) throw e;
    if (e instanceof ProfileImportError)
      return { ok: false, message: t("a {source} profile, but {why}", { source: e.source, why: e.why }) };
    return { ok: false, message: t(e.message) };
  }
}

export function profileFileName(p: Profile): string {
  return `${p.id}.brewos-profile.json`;
}
