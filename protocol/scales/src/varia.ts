/**
 * @module Varia AKU / AKU Mini / AKU Pro (peers.md §3.10): notifications start 0xFA, end with the
 * XOR of bytes 1..len−2: weight `FA 01 03 b3 b4 b5 x` (sign b3 & 0x10, value 20 bits × 0.01 g),
 * battery `FA 85 01 pct x`, timer `FA 87 02 hi lo x`. Commands `FA <cmd> 01 01 <XOR>` without response.
 */
import { bytes, containing, DEFAULT_LAG_S, type ScaleEvent, type ScaleFamily, streamDecoder, uuid16, xorOf } from "./family.ts";

function frameLength(b: Uint8Array): number | null {
  if (b[0] !== 0xfa) return 0;
  if (b.length < 3) return null;
  return 3 + (b[2] ?? 0) + 1;
}

function decode(f: Uint8Array): ScaleEvent[] {
  if (xorOf(f, 1, f.length - 1) !== f[f.length - 1]) return [{ kind: "corrupt", reason: "Varia checksum" }];
  const t = f[1];
  if (t === 0x01 && f.length === 7) {
    const b3 = f[3] ?? 0;
    const value = (((b3 & 0x0f) << 16) | ((f[4] ?? 0) << 8) | (f[5] ?? 0)) * 0.01;
    return [{ kind: "weight", grams: Math.round((b3 & 0x10 ? -value : value) * 100) / 100 }];
  }
  if (t === 0x85) return [{ kind: "battery", percent: f[3] ?? 0 }];
  if (t === 0x87) return [{ kind: "timer", seconds: ((f[3] ?? 0) << 8) | (f[4] ?? 0) }];
  return [];
}

export function variaCommand(cmd: number): Uint8Array {
  const b = bytes(0xfa, cmd, 0x01, 0x01, 0);
  b[4] = xorOf(b, 1, 4);
  return b;
}

const CMD: Record<string, number> = { tare: 0x82, timer_start: 0x88, timer_stop: 0x89, timer_reset: 0x8a };

export const varia: ScaleFamily = {
  id: "varia",
  label: "Varia AKU",
  models: ["AKU", "AKU Mini", "AKU Pro"],
  matches: (n) => /^(AKU MINI SCALE|VARIA AKU|AKU SCALE)/i.test(n) || containing("varia aku", "aku mini")(n),
  gatt: [{ service: uuid16(0xfff0), notify: [uuid16(0xfff1)], write: uuid16(0xfff2), writeWithoutResponse: true }],
  decoder: () => streamDecoder(frameLength, decode),
  command: (c) => (CMD[c] === undefined ? null : [variaCommand(CMD[c] as number)]),
  minCommandSpacing_ms: 100,
  lag_s: DEFAULT_LAG_S,
  resolution_g: 0.01,
};
