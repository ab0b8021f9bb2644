/**
 * @module The app's words in the owner's language: English, and German. The language follows the
 * browser unless the owner picks one in Settings. Messages are written in English where they are
 * used (the message is its own key, as with gettext) and translated in the catalogue
 * (`catalogue.ts`); a test finds every message in the sources and checks the catalogue has it,
 * with the same named values, e.g. "Stops at {s} s." with { s: 30 }. `t` looks a message up at call
 * time, so helpers outside components use it too; components call `useT()` so they re-render when
 * the language changes.
 */
import { usePreferences } from "../shared/preferences.ts";
import { GERMAN } from "./catalogue.ts";

export type Lang = "en" | "de";
export const LANGUAGES: Lang[] = ["en", "de"];

/** The first of the browser's languages the app speaks; English otherwise. */
export function browserLanguage(
  list: readonly string[] = typeof navigator === "undefined" ? [] : (navigator.languages ?? [navigator.language]),
): Lang {
  for (const l of list) {
    const base = l.toLowerCase().split("-")[0];
    if (base === "de" || base === "en") return base;
  }
  return "en";
}

export function language(): Lang {
  const chosen = usePreferences.getState().language;
  return chosen === "auto" ? browserLanguage() : chosen;
}

export type Params = Record<string, string | number>;

export function t(message: string, params?: Params): string {
  const text = language() === "de" ? (GERMAN[message] ?? message) : message;
  return params ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m)) : text;
}

/** `t`, in a component that re-renders when the language changes. */
export function useT(): typeof t {
  usePreferences((p) => p.language);
  return t;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
/** A number in the language's way of writing it (93.5 / 93,5), with fixed decimals. */
export function decimal(v: number, digits: number): string {
  const key = `${language()}:${digits}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(language(), { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
    numberFormats.set(key, f);
  }
  return f.format(v);
}
