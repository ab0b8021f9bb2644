/** @module Hub identity, pairing and session proofs (docs/api/pairing.md). */

export * from "./client.ts";
export * from "./encoding.ts";
export * from "./keys.ts";
export * from "./pairing.ts";
