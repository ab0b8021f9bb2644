/** @module The profile being edited, handed from the list (duplicate, import, new) to the editor. */
import type { Profile } from "@brewos/protocol/profile";

const KEY = "brewos.profile-draft";

export function setDraft(p: Profile, note?: string): void {
  sessionStorage.setItem(KEY, JSON.stringify({ profile: p, note: note ?? null }));
}

export function takeDraft(): { profile: Profile; note: string | null } | null {
  try {
    const v = JSON.parse(sessionStorage.getItem(KEY) ?? "null") as { profile: Profile; note: string | null } | null;
    return v;
  } catch {
    return null;
  }
}

export function blankProfile(): Profile {
  return {
    id: "my-profile",
    name: "My profile",
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
