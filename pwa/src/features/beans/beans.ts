/** @module Beans as people read them: a label, and how many days off roast a shot was pulled. */
import type { LocalBean } from "../../data/db.ts";
import { t } from "../../i18n/i18n.ts";

/** "Kenya AA · Square Mile", or whatever of it is there. */
export function beanLabel(b: LocalBean["values"]): string {
  return [b.name, b.roaster].filter(Boolean).join(" · ") || t("Unnamed beans");
}

/** Whole days from the roast date (a local calendar day) to a moment; null without a roast date. */
export function daysOffRoast(roastDate: string | null, atMs: number): number | null {
  if (!roastDate || !/^\d{4}-\d{2}-\d{2}$/.test(roastDate)) return null;
  const [y, m, d] = roastDate.split("-").map(Number) as [number, number, number];
  const roasted = new Date(y, m - 1, d).getTime();
  const at = new Date(atMs);
  const day = new Date(at.getFullYear(), at.getMonth(), at.getDate()).getTime();
  return Math.round((day - roasted) / 86_400_000);
}

export function daysOffRoastWords(days: number | null): string | null {
  if (days === null) return null;
  if (days < 0) return t("before its roast date");
  return days === 1 ? t("1 day off roast") : t("{n} days off roast", { n: days });
}
