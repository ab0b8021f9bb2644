/**
 * @module Shot profiles: types, strict JSON validation, binary encoding, and peer format converters.
 */
export * from "./binary.ts";
export * from "./decent.ts";
export * from "./import.ts";
export * from "./machine-fit.ts";
export * from "./peers.ts";
export * from "./target.ts";
export * from "./types.ts";
export * from "./validate.ts";
