/**
 * @module The Bluetooth SIG Weight Scale service (0x181D, Weight Measurement 0x2A9D), opt-in only:
 * its SI resolution is 5 g (a uint16 of 0.005 kg), far too coarse to stop a shot, and Timemore
 * reuses the same UUIDs with another payload — so it never matches by itself; an owner picks it.
 * Flags bit 0 set means imperial (0.01 lb).
 */
import { type ScaleEvent, type ScaleFamily, uuid16 } from "./family.ts";

export const sigWeight: ScaleFamily = {
  id: "sig-weight",
  label: "Bluetooth weight scale (5 g steps)",
  models: ["any scale with the SIG Weight Scale service"],
  matches: () => false,
  gatt: [{ service: uuid16(0x181d), notify: [uuid16(0x2a9d)], write: uuid16(0x2a9d) }],
  decoder: () => ({
    push(b): ScaleEvent[] {
      if (b.length < 3) return [{ kind: "corrupt", reason: "SIG weight measurement under 3 bytes" }];
      const raw = (b[1] ?? 0) | ((b[2] ?? 0) << 8);
      const imperial = ((b[0] ?? 0) & 0x01) === 1;
      return [{ kind: "weight", grams: imperial ? raw * 0.01 * 453.59237 : raw * 5 }];
    },
  }),
  command: () => null,
  minCommandSpacing_ms: 100,
  lag_s: 0.38,
  resolution_g: 5,
  notes: ["5 g steps: fine for a filter brew, not for stopping an espresso by weight"],
};
