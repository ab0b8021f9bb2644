/**
 * @module Wire units to people's units, with the precision each is worth: one place, so the live
 * state, the shot samples and every export agree to the digit.
 */

export const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export const celsius = (cdeg: number): number => round(cdeg / 100, 2);
export const bar = (mbar: number): number => round(mbar / 1000, 2);
export const mlPerS = (ulPerS: number): number => round(ulPerS / 1000, 2);
export const ml = (ul: number): number => round(ul / 1000, 1);
export const percent = (pmil: number): number => round(pmil / 10, 1);
export const seconds = (ms: number): number => round(ms / 1000, 2);
export const grams = (dg: number): number => round(dg / 10, 1);
