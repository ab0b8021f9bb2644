/**
 * @module Hiroia Jimmy (peers.md §3.8): status notifications on 06C31824-…; weight is a 24-bit LE
 * value at [4..6], negative from 0x800000, in 0.1 g (grams mode; byte 0 above 0x08 means ounces,
 * in 0.001 oz). Tare `07 00` to 06C31823-…. Firmware 2.0.4 drops the link every 10 s unless kept busy.
 */
import { bytes, prefixOf, type ScaleEvent, type ScaleFamily } from "./family.ts";

export const hiroia: ScaleFamily = {
  id: "hiroia",
  label: "Hiroia Jimmy",
  models: ["Jimmy"],
  matches: prefixOf("HIROIA"),
  gatt: [
    {
      service: "06c31822-8682-4744-9211-febc93e3bece",
      notify: ["06c31824-8682-4744-9211-febc93e3bece"],
      write: "06c31823-8682-4744-9211-febc93e3bece",
    },
  ],
  decoder: () => ({
    push(b): ScaleEvent[] {
      if (b.length < 7) return [{ kind: "corrupt", reason: "Hiroia status under 7 bytes" }];
      let raw = (b[4] ?? 0) | ((b[5] ?? 0) << 8) | ((b[6] ?? 0) << 16);
      if (raw >= 0x800000) raw -= 0x1000000;
      if ((b[0] ?? 0) > 0x08)
        return [
          { kind: "unit", unit: "oz" },
          { kind: "weight", grams: (raw / 1000) * 28.3495 },
        ];
      return [{ kind: "weight", grams: raw / 10 }];
    },
  }),
  command: (c) => (c === "tare" ? [bytes(0x07, 0x00)] : null),
  minCommandSpacing_ms: 100,
  lag_s: 0.25,
  resolution_g: 0.1,
  notes: ["firmware 2.0.4 disconnects every 10 s (Beanconqueror#418): the connection manager reconnects"],
};
