/**
 * @module Eureka Precisa = Krell CFS-9002 = Solo Barista LSJ-001 (peers.md §3.6): frames
 * `AA 09 41 <timer running> <timer u16 LE> <sign: 1 negative> <weight×10 u16 LE>` on FFF1;
 * commands `AA 02 <c> <c>` written *without response* to FFF2. No keep-alive.
 */
import { bytes, DEFAULT_LAG_S, type ScaleEvent, type ScaleFamily, streamDecoder, uuid16 } from "./family.ts";

function frameLength(b: Uint8Array): number | null {
  if (b[0] !== 0xaa) return 0;
  if (b.length < 3) return null;
  return b[1] === 0x09 && b[2] === 0x41 ? 9 : 0;
}

function decode(f: Uint8Array): ScaleEvent[] {
  const u16 = (i: number) => (f[i] ?? 0) | ((f[i + 1] ?? 0) << 8);
  if (f[6] !== 0 && f[6] !== 1) return [{ kind: "corrupt", reason: "Eureka sign byte is neither 0 nor 1" }];
  return [
    { kind: "weight", grams: (u16(7) / 10) * (f[6] === 1 ? -1 : 1) },
    { kind: "timer", seconds: u16(4), running: f[3] === 1 },
  ];
}

const CMD: Record<string, number> = { tare: 0x31, timer_start: 0x33, timer_stop: 0x34, timer_reset: 0x35 };

export const eureka: ScaleFamily = {
  id: "eureka",
  label: "Eureka Precisa / Solo Barista",
  models: ["Eureka Precisa", "Krell CFS-9002", "Solo Barista LSJ-001"],
  matches: (n) => /^(CFS-9002|LSJ-001)/i.test(n),
  gatt: [{ service: uuid16(0xfff0), notify: [uuid16(0xfff1)], write: uuid16(0xfff2), writeWithoutResponse: true }],
  decoder: () => streamDecoder(frameLength, decode),
  command: (c) => (CMD[c] === undefined ? null : [bytes(0xaa, 0x02, CMD[c] as number, CMD[c] as number)]),
  minCommandSpacing_ms: 100,
  lag_s: DEFAULT_LAG_S,
  resolution_g: 0.1,
  notes: ["some units sold as Bluetooth have no BLE at all (Beanconqueror#923)"],
};
