/**
 * @module Reads a profile file of any format we speak — ours, Gaggiuino's, GaggiMate's, Decent's Tcl
 * or JSON v2 — telling which it was from its shape, and returns what did not map alongside it.
 */
import { fromDecentJson, fromDecentTcl } from "./decent.ts";
import { type Converted, fromGaggiMate, fromGaggiuino } from "./peers.ts";
import type { Profile } from "./types.ts";
import { ProfileError, parseProfile } from "./validate.ts";

export type ProfileSource = "BrewOS" | "Gaggiuino" | "GaggiMate" | "Decent (Tcl)" | "Decent (JSON)";

/** A file of a known format that does not make a profile here: which format, and why not. */
export class ProfileImportError extends ProfileError {
  constructor(
    readonly source: ProfileSource,
    readonly why: string,
  ) {
    super(`a ${source} profile, but ${why}`);
  }
}

export interface Imported extends Converted<Profile> {
  source: ProfileSource;
}

/** Which format parsed JSON is in, from its shape; null when it is none of them. */
export function profileSource(raw: unknown): ProfileSource | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const o = raw as Record<string, unknown>;
  if (Array.isArray(o.steps)) return "Decent (JSON)";
  const first = Array.isArray(o.phases) ? (o.phases[0] as Record<string, unknown> | undefined) : undefined;
  if (!first || typeof first !== "object") return null;
  if ("mode" in first && "exit" in first) return "BrewOS";
  if ("label" in o || "pump" in first || "transition" in first) return "GaggiMate";
  if ("target" in first || first.type === "PRESSURE" || first.type === "FLOW") return "Gaggiuino";
  return "BrewOS"; // the strict parser says what is wrong
}

/** The messages for a file of no format we know, for an app to translate. */
export const NOT_A_PROFILE = {
  text: "the file is neither JSON nor a Decent Tcl profile",
  shape: "not a BrewOS, Gaggiuino, GaggiMate or Decent profile (no phases or steps)",
} as const;

/** de1app profile files are Tcl key/value text; these keys open or fill every one of them. */
const looksLikeTcl = (text: string) =>
  /^\s*(advanced_shot|author|profile_title|settings_profile_type|espresso_\w+|beverage_type)\s/m.test(text);

/** Parse a profile file's text, or throw ProfileError with a message for the person importing it. */
export function importProfile(text: string): Imported {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    if (looksLikeTcl(text)) return named("Decent (Tcl)", () => fromDecentTcl(text));
    throw new ProfileError(NOT_A_PROFILE.text);
  }
  const source = profileSource(raw);
  if (!source) throw new ProfileError(NOT_A_PROFILE.shape);
  const convert = {
    BrewOS: () => ({ result: parseProfile(raw), unmapped: [] }),
    Gaggiuino: () => fromGaggiuino(raw),
    GaggiMate: () => fromGaggiMate(raw),
    "Decent (JSON)": () => fromDecentJson(raw),
    "Decent (Tcl)": () => fromDecentTcl(text),
  };
  return named(source, convert[source]);
}

/** What our controller does differently from every peer, said for the phases it touches. */
function ourDifferences(p: Profile): string[] {
  return p.phases.flatMap((ph, i) =>
    ph.exit.pressure_below_bar || ph.exit.flow_below_ml_s
      ? [
          `phases[${i}] "below" exit (checked from 1 s into the phase here, so a phase that starts below its threshold still runs; the source checks at once)`,
        ]
      : [],
  );
}

function named(source: ProfileSource, convert: () => Converted<Profile>): Imported {
  try {
    const c = convert();
    return { source, result: c.result, unmapped: source === "BrewOS" ? c.unmapped : [...c.unmapped, ...ourDifferences(c.result)] };
  } catch (e) {
    if (e instanceof ProfileError) throw new ProfileImportError(source, e.message);
    throw e;
  }
}
