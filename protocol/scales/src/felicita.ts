/**
 * @module Felicita (Arc and others; peers.md §3.3): 18-byte ASCII status frames on FFE1 —
 * `01 02 <+|-> <6 digits of g×100> <unit "g "|"oz"> … <battery at [15]> … CR LF` — and
 * single-byte commands on the same characteristic. No keep-alive.
 */
import { bytes, containing, type ScaleEvent, type ScaleFamily, streamDecoder, uuid16 } from "./family.ts";

const FRAME = 18;

function frameLength(b: Uint8Array): number | null {
  if (b[0] !== 0x01) return 0;
  if (b.length < 2) return null;
  return b[1] === 0x02 ? FRAME : 0;
}

function decode(f: Uint8Array): ScaleEvent[] {
  if (f[16] !== 0x0d || f[17] !== 0x0a) return [{ kind: "corrupt", reason: "Felicita frame does not end CR LF" }];
  const sign = f[2];
  const digits = String.fromCharCode(...f.slice(3, 9));
  if ((sign !== 0x2b && sign !== 0x2d) || !/^\d{6}$/.test(digits))
    return [{ kind: "corrupt", reason: "Felicita weight is not a sign and six digits" }];
  const unit = String.fromCharCode(...f.slice(9, 11)).trim();
  const out: ScaleEvent[] = [{ kind: "weight", grams: (Number(digits) / 100) * (sign === 0x2d ? -1 : 1) }];
  if (unit === "oz") out.push({ kind: "unit", unit: "oz" });
  // Beanconqueror's mapping of the raw battery byte: 129..158 → 0..100 %.
  const raw = f[15] ?? 0;
  out.push({ kind: "battery", percent: Math.max(0, Math.min(100, Math.round(((raw - 129) / 29) * 100))) });
  return out;
}

const CMD: Record<string, number> = { tare: 0x54, timer_start: 0x52, timer_stop: 0x53, timer_reset: 0x43 };

export const felicita: ScaleFamily = {
  id: "felicita",
  label: "Felicita",
  models: ["Arc", "Incline", "Parallel"],
  matches: containing("felicita"),
  gatt: [{ service: uuid16(0xffe0), notify: [uuid16(0xffe1)], write: uuid16(0xffe1) }],
  decoder: () => streamDecoder(frameLength, decode),
  command: (c) => (CMD[c] === undefined ? null : [bytes(CMD[c] as number)]),
  minCommandSpacing_ms: 100,
  lag_s: 0.5,
  resolution_g: 0.01,
};
