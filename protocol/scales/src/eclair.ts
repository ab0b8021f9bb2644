/**
 * @module Atomheart Eclair (peers.md §3.11): frames `<type> <data> <XOR(data)>`; weight `'W'` with
 * an int32 LE in mg; tare `'T' 01`, timer `'S'`/`'E'`/`'R'` with `01 01`.
 */
import { bytes, DEFAULT_LAG_S, prefixOf, type ScaleEvent, type ScaleFamily, xorOf } from "./family.ts";

/** A command: type, data, XOR of the data. */
const cmd = (type: string, ...data: number[]) => bytes(type.charCodeAt(0), ...data, xorOf(Uint8Array.from(data), 0, data.length));

export const eclair: ScaleFamily = {
  id: "eclair",
  label: "Atomheart Eclair",
  models: ["Eclair"],
  matches: prefixOf("ECLAIR-"),
  gatt: [
    {
      service: "b905eaea-2e63-0e04-7582-7913f10d8f81",
      notify: ["ad736c5f-bbc9-1f96-d304-cb5d5f41e160"],
      write: "4f9a45ba-8e1b-4e07-e157-0814d393b968",
    },
  ],
  decoder: () => ({
    push(f): ScaleEvent[] {
      if (f[0] !== 0x57) return [];
      if (f.length !== 6) return [{ kind: "corrupt", reason: "Eclair weight frame is not 6 bytes" }];
      if (xorOf(f, 1, 5) !== f[5]) return [{ kind: "corrupt", reason: "Eclair checksum" }];
      return [{ kind: "weight", grams: new DataView(f.buffer, f.byteOffset).getInt32(1, true) / 1000 }];
    },
  }),
  command: (c) => {
    if (c === "tare") return [cmd("T", 0x01)];
    if (c === "timer_start") return [cmd("S", 0x01, 0x01)];
    if (c === "timer_stop") return [cmd("E", 0x01, 0x01)];
    if (c === "timer_reset") return [cmd("R", 0x01, 0x01)];
    return null;
  },
  minCommandSpacing_ms: 100,
  lag_s: DEFAULT_LAG_S,
  resolution_g: 0.1,
};
