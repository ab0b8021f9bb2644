/**
 * @module Per-device preferences: temperature unit and theme. Kept in localStorage (they belong to
 * this phone, not to the machine).
 */
import { create } from "zustand";

export type TempUnit = "C" | "F";
export type Theme = "system" | "light" | "dark";

interface Preferences {
  unit: TempUnit;
  theme: Theme;
  set(p: Partial<Pick<Preferences, "unit" | "theme">>): void;
}

const KEY = "brewos.preferences";

function load(): Pick<Preferences, "unit" | "theme"> {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? "{}") as Partial<Preferences>;
    return { unit: v.unit === "F" ? "F" : "C", theme: v.theme === "light" || v.theme === "dark" ? v.theme : "system" };
  } catch {
    return { unit: "C", theme: "system" };
  }
}

export const usePreferences = create<Preferences>((set, get) => ({
  ...load(),
  set(p) {
    set(p);
    const { unit, theme } = get();
    localStorage.setItem(KEY, JSON.stringify({ unit, theme }));
  },
}));
