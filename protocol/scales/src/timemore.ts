/**
 * @module Timemore (peers.md §3.5). Black Mirror 2 / DUO reuse the SIG Weight Scale service 0x181D
 * and characteristic 0x2A9D with their own 9-byte payload `10 <int32 LE ×10 dripper> <int32 LE ×10
 * scale>` — which is why the name, not the service, decides. Commands to 553F4E49-…; keep-alive:
 * `00` to the weight characteristic every 2 s. Black Mirror Dot: `A5 5A <class> <type> <len u16 BE>
 * payload`, weight class 1 type 1 (int32 BE ÷10 at [6..9]); it notifies only on an encrypted
 * (bonded) link, and its tare takes effect only after the status poll that follows it.
 */
import { bytes, DEFAULT_LAG_S, prefixOf, type ScaleEvent, type ScaleFamily, streamDecoder, uuid16 } from "./family.ts";

const i32le = (b: Uint8Array, i: number) => new DataView(b.buffer, b.byteOffset).getInt32(i, true);
const i32be = (b: Uint8Array, i: number) => new DataView(b.buffer, b.byteOffset).getInt32(i, false);

export const timemore: ScaleFamily = {
  id: "timemore",
  label: "Timemore Black Mirror",
  models: ["Black Mirror 2", "Black Mirror DUO"],
  matches: prefixOf("Timemore Scale"),
  gatt: [{ service: uuid16(0x181d), notify: [uuid16(0x2a9d)], write: "553f4e49-bf21-4468-9c6c-0e4fb5b17697" }],
  decoder: () =>
    streamDecoder(
      (b) => (b[0] === 0x10 ? 9 : 0),
      (f) => [{ kind: "weight", grams: i32le(f, 5) / 10 }],
    ),
  command: (c) => {
    const CMD: Record<string, number> = { tare: 0x00, timer_start: 0x08, timer_stop: 0x09, timer_reset: 0x0a };
    return CMD[c] === undefined ? null : [bytes(CMD[c] as number)];
  },
  keepAlive: { every_ms: 2000, bytes: () => [bytes(0x00)], characteristic: uuid16(0x2a9d) },
  minCommandSpacing_ms: 100,
  lag_s: DEFAULT_LAG_S,
  resolution_g: 0.1,
};

function dotLength(b: Uint8Array): number | null {
  if (b[0] !== 0xa5) return 0;
  if (b.length < 2) return null;
  if (b[1] !== 0x5a) return 0;
  if (b.length < 6) return null;
  return 6 + (((b[4] ?? 0) << 8) | (b[5] ?? 0));
}

function dotDecode(f: Uint8Array): ScaleEvent[] {
  if (f[2] === 0x01 && f[3] === 0x01) {
    if (f.length < 10) return [{ kind: "corrupt", reason: "Dot weight frame too short" }];
    return [{ kind: "weight", grams: i32be(f, 6) / 10 }];
  }
  return [];
}

export const timemoreDot: ScaleFamily = {
  id: "timemore-dot",
  label: "Timemore Black Mirror Dot",
  models: ["Black Mirror Dot"],
  matches: prefixOf("TIMEMORE_Dot"),
  gatt: [{ service: uuid16(0xfff0), notify: [uuid16(0xfff1)], write: uuid16(0xfff2) }],
  decoder: () => streamDecoder(dotLength, dotDecode),
  // The tare, then the status poll the Dot needs before it zeroes.
  command: (c) =>
    c === "tare" ? [bytes(0xa5, 0x5a, 0x02, 0x04, 0x00, 0x00, 0x9a, 0x00), bytes(0xa5, 0x5a, 0x03, 0x0d, 0x00, 0x00, 0x64, 0xd1)] : null,
  minCommandSpacing_ms: 100,
  lag_s: DEFAULT_LAG_S,
  resolution_g: 0.1,
  notes: ["notifies only over an encrypted (bonded) link; the first connect after a session may fail: retry 3 x 500 ms"],
};
