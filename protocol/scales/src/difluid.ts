/**
 * @module DiFluid Microbalance / Microbalance Ti (peers.md §3.9): frames
 * `DF DF <func> <cmd> <len> <data…> <sum8 of all before>` on AA01 (write and notify); weight is
 * func 03 cmd 00, int32 BE ÷10 at [5..8]. It has to be told to send grams and to notify; since
 * firmware 302 it needs 300 ms between commands.
 */
import { bytes, containing, DEFAULT_LAG_S, type ScaleEvent, type ScaleFamily, streamDecoder, sumOf, uuid16 } from "./family.ts";

/** A message: DF DF func cmd len data… sum8. */
export function difluidMessage(func: number, cmd: number, data: number[]): Uint8Array {
  const b = bytes(0xdf, 0xdf, func, cmd, data.length, ...data, 0);
  b[b.length - 1] = sumOf(b, 0, b.length - 1);
  return b;
}

function frameLength(b: Uint8Array): number | null {
  if (b[0] !== 0xdf) return 0;
  if (b.length < 2) return null;
  if (b[1] !== 0xdf) return 0;
  if (b.length < 5) return null;
  return 5 + (b[4] ?? 0) + 1;
}

function decode(f: Uint8Array): ScaleEvent[] {
  if (sumOf(f, 0, f.length - 1) !== f[f.length - 1]) return [{ kind: "corrupt", reason: "DiFluid checksum" }];
  if (f[2] === 0x03 && f[3] === 0x00) {
    if (f.length < 10) return [{ kind: "corrupt", reason: "DiFluid weight too short" }];
    return [{ kind: "weight", grams: new DataView(f.buffer, f.byteOffset).getInt32(5, false) / 10 }];
  }
  if (f[2] === 0x03 && f[3] === 0x05 && f.length > 7) return [{ kind: "battery", percent: f[6] ?? 0 }];
  return [];
}

const CMD: Record<string, [number, number, number[]]> = {
  tare: [0x03, 0x02, [0x01]],
  timer_start: [0x03, 0x02, [0x00]],
  timer_stop: [0x03, 0x01, [0x00]],
};

export const difluid: ScaleFamily = {
  id: "difluid",
  label: "DiFluid Microbalance",
  models: ["Microbalance", "Microbalance Ti"],
  matches: (n) => containing("microbalance", "mb ti")(n) || /^Mb/.test(n),
  gatt: [
    { service: uuid16(0x00ee), notify: [uuid16(0xaa01)], write: uuid16(0xaa01) },
    { service: uuid16(0x00dd), notify: [uuid16(0xaa01)], write: uuid16(0xaa01) },
  ],
  decoder: () => streamDecoder(frameLength, decode),
  command: (c) => {
    const m = CMD[c];
    return m ? [difluidMessage(m[0], m[1], m[2])] : null;
  },
  // Grams, then automatic notifications.
  handshake: () => [difluidMessage(0x01, 0x04, [0x00]), difluidMessage(0x01, 0x00, [0x01])],
  keepAlive: { every_ms: 2000, bytes: () => [difluidMessage(0x03, 0x05, [])] },
  minCommandSpacing_ms: 300,
  lag_s: DEFAULT_LAG_S,
  resolution_g: 0.1,
};
