/**
 * @module Bookoo Themis Mini / Ultra (peers.md §3.4): 20-byte weight frames `03 0B` on FF11 with a
 * u24 ms timer, unit, signed weight×100 (u24 BE), signed flow×100, battery, and an XOR of bytes 0..18;
 * 6-byte commands `03 0A <cmd> 00 00 <XOR>` on FF12. Timer commands act only in timing modes on the Ultra.
 */
import { bytes, containing, type ScaleEvent, type ScaleFamily, streamDecoder, uuid16, xorOf } from "./family.ts";

function frameLength(b: Uint8Array): number | null {
  if (b[0] !== 0x03) return 0;
  if (b.length < 2) return null;
  return b[1] === 0x0b ? 20 : 0;
}

function decode(f: Uint8Array): ScaleEvent[] {
  if (xorOf(f, 0, 19) !== f[19]) return [{ kind: "corrupt", reason: "Bookoo checksum" }];
  const u24 = (i: number) => ((f[i] ?? 0) << 16) | ((f[i + 1] ?? 0) << 8) | (f[i + 2] ?? 0);
  const grams = (u24(7) / 100) * (f[6] === 0x2d ? -1 : 1);
  return [
    { kind: "weight", grams, timer_s: u24(2) / 1000 },
    { kind: "battery", percent: f[13] ?? 0 },
    ...(f[5] === 1 ? [{ kind: "unit", unit: "oz" } as const] : []),
  ];
}

/** Commands as Bookoo's open protocol lists them (GM, BC send these literally). The timer commands'
 * last byte is not the XOR the tare's is (0x08): taken as published, not recomputed. */
const CMD: Record<string, number[]> = {
  tare: [0x03, 0x0a, 0x01, 0x00, 0x00, 0x08],
  timer_start: [0x03, 0x0a, 0x04, 0x00, 0x00, 0x0a],
  timer_stop: [0x03, 0x0a, 0x05, 0x00, 0x00, 0x0d],
  timer_reset: [0x03, 0x0a, 0x06, 0x00, 0x00, 0x0c],
};

export const bookoo: ScaleFamily = {
  id: "bookoo",
  label: "Bookoo",
  models: ["Themis Mini", "Themis Ultra"],
  matches: containing("bookoo_sc"),
  gatt: [{ service: uuid16(0x0ffe), notify: [uuid16(0xff11)], write: uuid16(0xff12) }],
  decoder: () => streamDecoder(frameLength, decode),
  command: (c) => (CMD[c] === undefined ? null : [bytes(...(CMD[c] as number[]))]),
  minCommandSpacing_ms: 100,
  lag_s: 0.5,
  resolution_g: 0.01,
  notes: ["the Ultra's timer commands act only in its timing and ratio modes"],
};
