/** @module Numbers for people: temperatures in the chosen unit, durations, weights, ages. */

import { decimal, language, t } from "../i18n/i18n.ts";
import { formatTemp, type TempUnit } from "./units.ts";

export function temp(c: number | null | undefined, unit: TempUnit, digits = 1): string {
  return formatTemp(c, unit, digits);
}

/** A temperature difference (no offset for °F). */
export function tempDelta(dc: number, unit: TempUnit): number {
  return unit === "F" ? (dc * 9) / 5 : dc;
}

export function seconds(s: number | null | undefined, digits = 1): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return "–";
  return `${decimal(s, digits)} s`;
}

export function grams(g: number | null | undefined, digits = 1): string {
  if (g === null || g === undefined || !Number.isFinite(g)) return "–";
  return `${decimal(g, digits)} g`;
}

export function minutesSeconds(s: number): string {
  const m = Math.floor(s / 60);
  const r = Math.round(s - m * 60);
  return m > 0 ? `${m} min ${r} s` : `${r} s`;
}

/** "12 s ago", "3 min ago". */
export function age(ms: number): string {
  if (ms < 60_000) return t("{n} s ago", { n: Math.max(0, Math.round(ms / 1000)) });
  if (ms < 3_600_000) return t("{n} min ago", { n: Math.round(ms / 60_000) });
  return t("{n} h ago", { n: Math.round(ms / 3_600_000) });
}

export function dateTime(ms: number): string {
  return new Date(ms).toLocaleString(language(), { dateStyle: "medium", timeStyle: "short" });
}

/** What ended up in the cup: what the person entered, else the settled weight the scale measured, else the weight at the stop. */
export function yieldG(s: { yield_g: number | null; settled_weight_g: number | null; final_weight_g: number | null }): number | null {
  return s.yield_g ?? s.settled_weight_g ?? s.final_weight_g;
}

/** Machine states and stop reasons as words. */
export const STATE_WORDS: Record<string, string> = {
  init: "Starting",
  idle: "Off",
  heating: "Heating",
  ready: "Ready",
  brewing: "Brewing",
  steaming: "Steam",
  eco: "Eco",
  fault: "Fault",
  safe: "Safe stop",
};

/** The line under the state's headline: what it means now, never the headline again. */
export const STATE_DETAIL: Record<string, string> = {
  init: "Starting up…",
  heating: "Heating up…",
  brewing: "A shot is running.",
  steaming: "Steam is on.",
  eco: "Kept warm at a lower temperature to save energy; choose Brew or Steam to heat up.",
  fault: "Stopped by a fault: see below.",
  safe: "Stopped for safety: see below.",
};

export const STOP_WORDS: Record<string, string> = {
  command: "stopped by you",
  lever: "lever released",
  time: "time reached",
  volume: "volume reached",
  weight: "target weight reached",
  profile_end: "profile finished",
  safety_trip: "safety stop",
  pump_max_time: "pump time limit",
  water_empty: "water tank empty",
  weight_already_reached: "cup already at target",
  scale_required: "no scale",
  link_lost: "hub link lost",
  unknown: "end not heard (noisy link)",
};

/** Energy in kWh, one precision everywhere (today's and the total figure side by side must agree). */
export function kwh(wh: number): string {
  return `${decimal(wh / 1000, 2)} kWh`;
}

/** A machine state in words, in the owner's language. */
export const stateWords = (state: string): string => (STATE_WORDS[state] ? t(STATE_WORDS[state] as string) : state);
/** How a shot ended, in words, in the owner's language. */
export const stopWords = (reason: string | null | undefined): string | null =>
  reason ? (STOP_WORDS[reason] ? t(STOP_WORDS[reason] as string) : reason) : null;
