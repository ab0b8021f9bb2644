/** @module Formatters in this phone's units (and its language's number format). */
import { usePreferences } from "./preferences.ts";
import { formatPressure, formatTemp, formatWeight } from "./units.ts";

/** Formatters in this phone's units, re-rendering when a unit or the language changes. */
export function useUnits() {
  const temp = usePreferences((p) => p.unit);
  const pressure = usePreferences((p) => p.pressureUnit);
  const weight = usePreferences((p) => p.weightUnit);
  usePreferences((p) => p.language);
  return {
    units: { temp, pressure, weight },
    temp: (c: number | null | undefined, digits = 1) => formatTemp(c, temp, digits),
    pressure: (bar: number | null | undefined) => formatPressure(bar, pressure),
    weight: (g: number | null | undefined, digits = 1) => formatWeight(g, weight, digits),
  };
}
