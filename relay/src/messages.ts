/** @module Reading the relay's control messages, and choosing session ids. */

export type Fields = Partial<
  Record<"type" | "ticket" | "public_key" | "signature" | "session" | "revoked" | "hub_id" | "id" | "name" | "value", unknown>
>;

/** A JSON object, or null for anything else. */
export function parseJson(text: string): Fields | null {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Fields) : null;
  } catch {
    return null;
  }
}

/**
 * A random session id that `taken` does not hold: random, so instances picking ids for the same hub
 * do not collide (the hub's instance refuses the rare one that does); checked against one hub's
 * sessions or one routing map, never every hub's.
 */
export function newSession(taken: (id: number) => boolean): number {
  for (;;) {
    const id = crypto.getRandomValues(new Uint32Array(1))[0] as number;
    if (!taken(id)) return id;
  }
}
