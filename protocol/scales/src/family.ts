/**
 * @module What every BLE scale family module provides (protocol/scales): how to recognise it by its
 * advertised name (the name decides — several brands share the same service UUIDs), its GATT
 * layout, a decoder that reassembles frames across notifications and checks them, its commands,
 * its keep-alive, the spacing it needs between commands, and its measurement lag for brew-by-weight.
 * Pure: bytes in, events out; no IO.
 */

/** What a scale said. `corrupt` frames are reported, never turned into a weight. */
export type ScaleEvent =
  | { kind: "weight"; grams: number; stable?: boolean; timer_s?: number }
  | { kind: "battery"; percent: number }
  | { kind: "timer"; seconds: number; running?: boolean }
  | { kind: "button"; button: "tare" | "timer" | "power" | "unit" | "other"; code?: number }
  | { kind: "tare_ack" }
  | { kind: "unit"; unit: "g" | "oz" | "ml" }
  | { kind: "corrupt"; reason: string };

/** Reads a notification stream; keeps partial frames until the rest arrives. */
export interface ScaleDecoder {
  push(bytes: Uint8Array, characteristic?: string): ScaleEvent[];
}

export type ScaleCommand = "tare" | "timer_start" | "timer_stop" | "timer_reset" | "led_on" | "led_off";

export interface GattLayout {
  service: string;
  /** Characteristics to subscribe to (weight first). */
  notify: string[];
  /** Where commands go. */
  write: string;
  /** Some scales accept only writes without response. */
  writeWithoutResponse?: boolean;
}

export interface ScaleFamily {
  id: string;
  label: string;
  /** Models sold under this protocol. */
  models: string[];
  /** Whether an advertised name belongs to this family. */
  matches(name: string): boolean;
  /** One layout, or several (a variant picked by which service the scale has). */
  gatt: GattLayout[];
  decoder(): ScaleDecoder;
  /** Bytes for a command, or null when the scale has no such command. Some commands are sequences;
   * `seq` is a running count for scales whose commands carry one (the Decent Scale's tare). */
  command(c: ScaleCommand, seq?: number): Uint8Array[] | null;
  /** Sent after subscribing, in order. */
  handshake?: () => Uint8Array[];
  /** A message the scale needs regularly or it stops streaming (or disconnects). */
  keepAlive?: { every_ms: number; bytes: () => Uint8Array[]; characteristic?: string };
  /** Least time between two commands the scale reliably takes. */
  minCommandSpacing_ms: number;
  /** Some firmware drops commands: send each this many times, spaced. */
  repeatCommands?: number;
  /** From the weight on the pan to the notification, seconds (de1app's table where known). */
  lag_s: number;
  /** Grams per count of the weight it reports. */
  resolution_g: number;
  /** Anything an owner must know (bonding, firmware quirks). */
  notes?: string[];
}

/** de1app's lag for a scale nobody has measured (its table's default), seconds. */
export const DEFAULT_LAG_S = 0.38;

/** A 16-bit SIG-style UUID in its full form. */
export const uuid16 = (short: number) => `0000${short.toString(16).padStart(4, "0")}-0000-1000-8000-00805f9b34fb`;

export const xorOf = (b: Uint8Array, from: number, to: number) => {
  let x = 0;
  for (let i = from; i < to; i++) x ^= b[i] ?? 0;
  return x;
};

export const sumOf = (b: Uint8Array, from: number, to: number) => {
  let x = 0;
  for (let i = from; i < to; i++) x = (x + (b[i] ?? 0)) & 0xff;
  return x;
};

export const bytes = (...xs: number[]) => Uint8Array.from(xs);
export const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join(" ");

/** Name matching by prefix or substring, case-insensitively. */
export const prefixOf =
  (...prefixes: string[]) =>
  (name: string) =>
    prefixes.some((p) => name.toUpperCase().startsWith(p.toUpperCase()));
export const containing =
  (...parts: string[]) =>
  (name: string) =>
    parts.some((p) => name.toLowerCase().includes(p.toLowerCase()));

/**
 * A decoder for byte streams cut into frames by a rule: `frameLength(buffer)` says how long the
 * frame at the start is (null: need more bytes; 0: not a frame start, skip a byte). Bytes that
 * cannot start a frame are dropped and reported once per run as corrupt.
 */
export function streamDecoder(
  frameLength: (buf: Uint8Array) => number | null,
  decode: (frame: Uint8Array) => ScaleEvent[],
  maxBuffered = 64,
): ScaleDecoder {
  let buf = new Uint8Array(0);
  return {
    push(chunk) {
      const joined = new Uint8Array(buf.length + chunk.length);
      joined.set(buf);
      joined.set(chunk, buf.length);
      buf = joined;
      const out: ScaleEvent[] = [];
      let skipped = 0;
      for (;;) {
        if (buf.length === 0) break;
        const n = frameLength(buf);
        if (n === null) break;
        if (n === 0) {
          buf = buf.slice(1);
          skipped++;
          continue;
        }
        if (skipped) out.push({ kind: "corrupt", reason: `${skipped} byte(s) before a frame start dropped` });
        skipped = 0;
        if (buf.length < n) break;
        out.push(...decode(buf.slice(0, n)));
        buf = buf.slice(n);
      }
      if (skipped) out.push({ kind: "corrupt", reason: `${skipped} byte(s) before a frame start dropped` });
      if (buf.length > maxBuffered) {
        out.push({ kind: "corrupt", reason: `${buf.length} bytes without a whole frame dropped` });
        buf = new Uint8Array(0);
      }
      return out;
    },
  };
}

/** A decoder for scales whose every notification is one whole frame. */
export function frameDecoder(decode: (frame: Uint8Array, characteristic?: string) => ScaleEvent[]): ScaleDecoder {
  return { push: (b, c) => decode(b, c) };
}
