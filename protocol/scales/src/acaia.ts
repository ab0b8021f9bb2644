/**
 * @module Acaia (Lunar, Pearl, Pearl S, Pyxis, Cinco, Umbra; peers.md §3.1): frames
 * `EF DD <type> <payload…> <c1> <c2>`, c1/c2 the sums of the payload's even/odd bytes; event and
 * status payloads start with their own length. Weight is event 0x0C sub-event 5: u16 LE, divided by
 * 10^data[4], negative when data[5] & 2 (Umbra: big-endian at data[2..3]). Needs the identify and
 * notification-request handshake and a heartbeat every 2 s or it stops streaming.
 */
import { bytes, type ScaleEvent, type ScaleFamily, streamDecoder } from "./family.ts";

const HEADER = [0xef, 0xdd];

/** One message: EF DD type payload c1 c2. */
export function acaiaMessage(type: number, payload: number[]): Uint8Array {
  let even = 0;
  let odd = 0;
  payload.forEach((b, i) => {
    if (i % 2 === 0) even = (even + b) & 0xff;
    else odd = (odd + b) & 0xff;
  });
  return bytes(...HEADER, type, ...payload, even, odd);
}

/** Length of the frame at the start of `b`: fixed-length commands, or 5 + the payload's length byte. */
function frameLength(b: Uint8Array): number | null {
  if (b[0] !== 0xef) return 0;
  if (b.length < 2) return null;
  if (b[1] !== 0xdd) return 0;
  if (b.length < 4) return null;
  const type = b[2] ?? 0;
  if (type === 0x0c || type === 0x08 || type === 0x07) return 3 + (b[3] ?? 0) + 2;
  return null; // other types are only ever sent, not received: wait (the buffer cap discards them)
}

function decode(umbra: boolean) {
  return (f: Uint8Array): ScaleEvent[] => {
    const type = f[2] ?? 0;
    const payload = f.slice(3, f.length - 2);
    const check = acaiaMessage(type, [...payload]);
    if (check[check.length - 2] !== f[f.length - 2] || check[check.length - 1] !== f[f.length - 1])
      return [{ kind: "corrupt", reason: "Acaia checksum" }];
    if (type === 0x08) return [{ kind: "battery", percent: (payload[1] ?? 0) & 0x7f }];
    if (type !== 0x0c) return [];
    const sub = payload[1];
    const d = payload.slice(2);
    if (sub === 5 || (sub === 11 && payload[2] === 5)) {
      const w = sub === 11 ? d.slice(1) : d;
      if (w.length < 6) return [{ kind: "corrupt", reason: "Acaia weight too short" }];
      const raw = umbra ? ((w[2] ?? 0) << 8) | (w[3] ?? 0) : (w[0] ?? 0) | ((w[1] ?? 0) << 8);
      const grams = (raw / 10 ** (w[4] ?? 0)) * ((w[5] ?? 0) & 0x02 ? -1 : 1);
      return [{ kind: "weight", grams }];
    }
    if (sub === 7) return [{ kind: "timer", seconds: (d[0] ?? 0) * 60 + (d[1] ?? 0) + (d[2] ?? 0) / 10 }];
    if (sub === 8) return [{ kind: "button", button: d[0] === 0 ? "tare" : "timer", code: d[0] ?? 0 }];
    return [];
  };
}

const commands = {
  tare: () => [acaiaMessage(0x04, [0x00])],
  timer_start: () => [acaiaMessage(0x0d, [0x00, 0x00])],
  timer_stop: () => [acaiaMessage(0x0d, [0x00, 0x02])],
  timer_reset: () => [acaiaMessage(0x0d, [0x00, 0x01])],
};
/** Identify (15 bytes of 0x2D), then ask for weight, battery, timer, key and setting events. */
const handshake = () => [
  acaiaMessage(0x0b, Array(15).fill(0x2d)),
  acaiaMessage(0x0c, [0x09, 0x00, 0x01, 0x01, 0x02, 0x02, 0x05, 0x03, 0x04]),
];
const heartbeat = { every_ms: 2000, bytes: () => [acaiaMessage(0x00, [0x02, 0x00])] };

const NEW = {
  service: "49535343-fe7d-4ae5-8fa9-9fafd205e455",
  notify: ["49535343-1e4d-4bd9-ba61-23c647249616"],
  write: "49535343-8841-43f4-a8d4-ecbe34729bb3",
};
const OLD = {
  service: "00001820-0000-1000-8000-00805f9b34fb",
  notify: ["00002a80-0000-1000-8000-00805f9b34fb"],
  write: "00002a80-0000-1000-8000-00805f9b34fb",
};

export const acaia: ScaleFamily = {
  id: "acaia",
  label: "Acaia",
  models: ["Lunar", "Pearl", "Pearl S", "Pyxis", "Cinco", "Proch"],
  matches: (n) => /^(ACAIA|LUNAR|PYXIS|PROCH|PEARL|CINCO)/i.test(n),
  gatt: [NEW, OLD],
  decoder: () => streamDecoder(frameLength, decode(false)),
  command: (c) => (c in commands ? commands[c as keyof typeof commands]() : null),
  handshake,
  keepAlive: heartbeat,
  minCommandSpacing_ms: 100,
  lag_s: 0.69,
  resolution_g: 0.1,
  notes: ["a 2024 Pearl stopped streaming after a heartbeat write (tatemazer/AcaiaArduinoBLE#35): watch for it"],
};

export const acaiaUmbra: ScaleFamily = {
  ...acaia,
  id: "acaia-umbra",
  label: "Acaia Umbra",
  models: ["Umbra"],
  matches: (n) => /^UMBRA/i.test(n),
  gatt: [
    {
      service: "0000fe40-cc7a-482a-984a-7f2ed5b3e58f",
      notify: ["0000fe42-8e22-4541-9d4c-21edae82ed19"],
      write: "0000fe41-8e22-4541-9d4c-21edae82ed19",
    },
  ],
  decoder: () => streamDecoder(frameLength, decode(true)),
  notes: [],
};
