/**
 * @module Local-first sync between phones and the hub: the clock, the merge rule, ids, and the
 * message types. The validating schemas are `@brewos/protocol/sync/messages` (they need zod).
 */
export * from "./hlc.ts";
export * from "./merge.ts";
export * from "./types.ts";
export * from "./uuidv7.ts";
