/**
 * @module Atomax Skale / Skale 2 (peers.md §3.7): weight int16 LE signed ×10 at [1..2] on EF81,
 * buttons on EF82, single-byte commands to EF80. Weight arrives on a ~150 ms clock; a tare can take
 * over 500 ms to show zero.
 */
import { bytes, prefixOf, type ScaleEvent, type ScaleFamily, uuid16 } from "./family.ts";

const WEIGHT = uuid16(0xef81);
const BUTTONS = uuid16(0xef82);

export const skale: ScaleFamily = {
  id: "skale",
  label: "Skale",
  models: ["Skale", "Skale 2"],
  matches: prefixOf("Skale"),
  gatt: [{ service: uuid16(0xff08), notify: [WEIGHT, BUTTONS], write: uuid16(0xef80) }],
  decoder: () => ({
    push(b, characteristic): ScaleEvent[] {
      if (characteristic === BUTTONS) return [{ kind: "button", button: b[0] === 1 ? "tare" : "other", code: b[0] ?? 0 }];
      if (b.length < 3) return [{ kind: "corrupt", reason: "Skale weight under 3 bytes" }];
      return [{ kind: "weight", grams: new DataView(b.buffer, b.byteOffset).getInt16(1, true) / 10 }];
    },
  }),
  command: (c) => {
    const CMD: Record<string, number> = { tare: 0x10, timer_start: 0xdd, timer_stop: 0xd1, timer_reset: 0xd0, led_on: 0xed, led_off: 0xee };
    return CMD[c] === undefined ? null : [bytes(CMD[c] as number)];
  },
  // Grams, then show the weight: the Skale starts in neither.
  handshake: () => [bytes(0x03), bytes(0xec)],
  minCommandSpacing_ms: 150,
  lag_s: 0.38,
  resolution_g: 0.1,
};
