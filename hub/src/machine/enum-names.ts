/** @module Wire enum numbers to the names the API uses (the names come from protocol/uart/messages.json). */

/** Reverse of a generated enum object: number -> name, with a readable fallback for unknown values. */
export function enumNamer<T extends Record<string, number>>(values: T): (n: number) => keyof T | `unknown_${number}` {
  const names = new Map<number, keyof T>(Object.entries(values).map(([k, v]) => [v, k as keyof T]));
  return (n) => names.get(n) ?? `unknown_${n}`;
}

/** Names of the bits set in `flags`, in table order. */
export function flagNames<T extends Record<string, number>>(bits: T, flags: number): (keyof T)[] {
  return Object.entries(bits)
    .filter(([, b]) => (flags & b) !== 0)
    .map(([k]) => k as keyof T);
}
