/**
 * @module Per-device preferences: units (temperature, pressure, weight), theme and language. Kept
 * in localStorage (they belong to this phone, not to the machine). Language "auto" follows the
 * browser.
 */
import { create } from "zustand";
import type { PressureUnit, TempUnit, WeightUnit } from "./units.ts";

export type { PressureUnit, TempUnit, WeightUnit };
export type Theme = "system" | "light" | "dark";
export type Language = "auto" | "en" | "de";

interface Choices {
  unit: TempUnit;
  pressureUnit: PressureUnit;
  weightUnit: WeightUnit;
  theme: Theme;
  language: Language;
}

interface Preferences extends Choices {
  set(p: Partial<Choices>): void;
}

const KEY = "brewos.preferences";

function load(): Choices {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? "{}") as Partial<Choices>;
    return {
      unit: v.unit === "F" ? "F" : "C",
      pressureUnit: v.pressureUnit === "psi" ? "psi" : "bar",
      weightUnit: v.weightUnit === "oz" ? "oz" : "g",
      theme: v.theme === "light" || v.theme === "dark" ? v.theme : "system",
      language: v.language === "en" || v.language === "de" ? v.language : "auto",
    };
  } catch {
    return { unit: "C", pressureUnit: "bar", weightUnit: "g", theme: "system", language: "auto" };
  }
}

export const usePreferences = create<Preferences>((set, get) => ({
  ...load(),
  set(p) {
    set(p);
    const { unit, pressureUnit, weightUnit, theme, language } = get();
    localStorage.setItem(KEY, JSON.stringify({ unit, pressureUnit, weightUnit, theme, language }));
  },
}));
