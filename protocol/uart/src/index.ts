/**
 * @module Public entry of the controller UART protocol for TypeScript (hub, simulator tests, tools).
 */
export * from "./cobs.ts";
export * from "./crc16.ts";
export * from "./frame.ts";
export * from "./generated/messages.ts";
export * from "./payload.ts";
export * from "./stream-decoder.ts";
