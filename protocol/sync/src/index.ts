/** @module Local-first sync between phones and the hub: the clock, the merge rule, the messages. */
export * from "./hlc.ts";
export * from "./merge.ts";
export * from "./messages.ts";
export * from "./uuidv7.ts";
