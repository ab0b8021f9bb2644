/** @module The profile being edited, handed from the list (duplicate, import, new) to the editor. */
import { PROFILE_VERSION, type Profile } from "@brewos/protocol/profile";
import { t } from "../../i18n/i18n.ts";

const KEY = "brewos.profile-draft";

export interface Draft {
  profile: Profile;
  note: string | null;
  /** Editing a saved profile of yours (its id stays); otherwise a new one (its id follows its name). */
  existing: boolean;
}

export function setDraft(p: Profile, o: { note?: string; existing?: boolean } = {}): void {
  sessionStorage.setItem(KEY, JSON.stringify({ profile: p, note: o.note ?? null, existing: o.existing ?? false }));
}

export function takeDraft(): Draft | null {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? "null") as Draft | null;
  } catch {
    return null;
  }
}

export function blankProfile(): Profile {
  return {
    version: PROFILE_VERSION,
    id: "my-profile",
    name: t("My profile"),
    temperature_c: 93,
    phases: [
      { name: "preinfusion", mode: "pressure", from: null, to: 3, curve: "linear", over_s: 2, exit: { time_s: 8 } },
      { name: "extraction", mode: "pressure", from: null, to: 9, curve: "linear", over_s: 3, exit: { time_s: 30 } },
    ],
  };
}

/** A free id from a name: "Sweet lever" → "sweet-lever", "-2", "-3" … when taken. */
export function idFor(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 58) || "profile";
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}
