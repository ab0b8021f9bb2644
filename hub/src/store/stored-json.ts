/**
 * @module Reading JSON the hub wrote into a column. A row damaged on disk (by hand, a bad restore
 * from an older hub, a disk error) reads as the column's empty value instead of failing the
 * request or the sync pull that touched it; nothing is rewritten.
 */
export function storedJson<T>(text: string | null, empty: T, valid: (v: unknown) => boolean): T {
  if (text === null) return empty;
  try {
    const v = JSON.parse(text) as unknown;
    return valid(v) ? (v as T) : empty;
  } catch {
    return empty;
  }
}

export const isStringList = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === "string");
export const isPlainObject = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v);
