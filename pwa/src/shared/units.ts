/**
 * @module The owner's units: temperature °C/°F, pressure bar/psi, weight g/oz. The hub and the
 * database speak °C, bar and g; conversion happens only here, at the edge of the screen.
 */
import { decimal } from "../i18n/i18n.ts";
export type TempUnit = "C" | "F";
export type PressureUnit = "bar" | "psi";
export type WeightUnit = "g" | "oz";

const PSI_PER_BAR = 14.5038;
const G_PER_OZ = 28.3495;

export const tempIn = (c: number, unit: TempUnit): number => (unit === "F" ? (c * 9) / 5 + 32 : c);
export const tempFrom = (v: number, unit: TempUnit): number => (unit === "F" ? ((v - 32) * 5) / 9 : v);
export const pressureIn = (bar: number, unit: PressureUnit): number => (unit === "psi" ? bar * PSI_PER_BAR : bar);
export const weightIn = (g: number, unit: WeightUnit): number => (unit === "oz" ? g / G_PER_OZ : g);
export const weightFrom = (v: number, unit: WeightUnit): number => (unit === "oz" ? v * G_PER_OZ : v);

const finite = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

export function formatTemp(c: number | null | undefined, unit: TempUnit, digits = 1): string {
  return finite(c) ? `${decimal(tempIn(c, unit), digits)} °${unit}` : "–";
}

export function formatPressure(bar: number | null | undefined, unit: PressureUnit): string {
  return finite(bar) ? `${decimal(pressureIn(bar, unit), unit === "psi" ? 0 : 1)} ${unit}` : "–";
}

export function formatWeight(g: number | null | undefined, unit: WeightUnit, digits = 1): string {
  return finite(g) ? `${decimal(weightIn(g, unit), unit === "oz" ? 2 : digits)} ${unit}` : "–";
}
