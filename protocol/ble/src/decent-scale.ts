/**
 * @module The Decent Scale's BLE protocol (also Half Decent and EspressiScale): weight
 * notifications on characteristic 0xFFF4 of service 0xFFF0, commands written to 0x36F5. Facts from
 * peers.md §3.2: every message starts 0x03 and ends with the XOR of the bytes before it; weight is
 * int16 big-endian in 0.1 g; byte 1 is 0xCE when stable, 0xCA while changing. Shared by the hub's
 * BLE scale driver and the simulator's virtual scale, so both go through one parser.
 */

export const DECENT_SERVICE = 0xfff0;
export const DECENT_WEIGHT_CHAR = 0xfff4;
export const DECENT_COMMAND_CHAR = 0x36f5;
/** Known lag from the weight on the pan to the notification (de1app table). */
export const DECENT_LAG_MS = 380;

export type DecentNotification =
  | { kind: "weight"; grams: number; stable: boolean; timestamp_ms: number | null }
  | { kind: "button"; button: number }
  | { kind: "tare_ack" }
  | { kind: "info"; bytes: Uint8Array };

export type DecentParse =
  | { ok: true; value: DecentNotification }
  | { ok: false; error: "length" | "header" | "checksum" | "unknown_kind"; detail: string };

function xor(bytes: Uint8Array, end: number): number {
  let x = 0;
  for (let i = 0; i < end; i++) x ^= bytes[i] ?? 0;
  return x;
}

/** Read one notification. Never throws; a bad one says why. */
export function parseDecentNotification(b: Uint8Array): DecentParse {
  if (b.length !== 7 && b.length !== 10) return { ok: false, error: "length", detail: `${b.length} bytes; a notification has 7 or 10` };
  if (b[0] !== 0x03) return { ok: false, error: "header", detail: `first byte 0x${(b[0] ?? 0).toString(16)}, expected 0x03` };
  const check = b[b.length - 1] ?? 0;
  if (check !== xor(b, b.length - 1))
    return { ok: false, error: "checksum", detail: `XOR 0x${xor(b, b.length - 1).toString(16)}, byte says 0x${check.toString(16)}` };
  const kind = b[1];
  if (kind === 0xce || kind === 0xca) {
    const raw = ((((b[2] ?? 0) << 8) | (b[3] ?? 0)) << 16) >> 16; // int16 big-endian
    const ts = b.length === 10 ? ((b[4] ?? 0) * 60 + (b[5] ?? 0)) * 1000 + (b[6] ?? 0) * 100 : null;
    return { ok: true, value: { kind: "weight", grams: raw / 10, stable: kind === 0xce, timestamp_ms: ts } };
  }
  if (kind === 0xaa) return { ok: true, value: { kind: "button", button: b[2] ?? 0 } };
  if (kind === 0x0f) return { ok: true, value: { kind: "tare_ack" } };
  if (kind === 0x0a) return { ok: true, value: { kind: "info", bytes: b.slice(2, b.length - 1) } };
  return { ok: false, error: "unknown_kind", detail: `kind byte 0x${(kind ?? 0).toString(16)}` };
}

/** A weight notification (7-byte form), as a scale sends it. */
export function encodeDecentWeight(grams: number, stable: boolean): Uint8Array {
  const raw = Math.round(grams * 10);
  if (raw < -32768 || raw > 32767) throw new RangeError(`${grams} g does not fit the Decent Scale's int16 of 0.1 g`);
  const b = Uint8Array.from([0x03, stable ? 0xce : 0xca, (raw >> 8) & 0xff, raw & 0xff, 0, 0, 0]);
  b[6] = xor(b, 6);
  return b;
}

export type DecentCommand =
  | { kind: "tare"; counter: number }
  | { kind: "timer"; action: "start" | "stop" | "reset" }
  | { kind: "led"; on: boolean }
  | { kind: "heartbeat" };

/** A 7-byte command: 03 <cmd> d1 d2 d3 d4 <XOR of bytes 0-5>. */
export function encodeDecentCommand(c: DecentCommand): Uint8Array {
  let body: number[];
  switch (c.kind) {
    case "tare":
      body = [0x0f, c.counter & 0xff, 0x00, 0x00, 0x01];
      break;
    case "timer":
      body = [0x0b, c.action === "start" ? 0x03 : c.action === "stop" ? 0x00 : 0x02, 0x00, 0x00, 0x00];
      break;
    case "led":
      body = c.on ? [0x0a, 0x01, 0x01, 0x00, 0x01] : [0x0a, 0x00, 0x00, 0x00, 0x00];
      break;
    case "heartbeat":
      body = [0x0a, 0x03, 0xff, 0xff, 0x00];
      break;
  }
  const b = Uint8Array.from([0x03, ...body, 0]);
  b[6] = xor(b, 6);
  return b;
}

/** Read a command (what a scale, or the simulator's virtual scale, receives). */
export function parseDecentCommand(b: Uint8Array): { ok: true; value: DecentCommand } | { ok: false; detail: string } {
  if (b.length !== 7 || b[0] !== 0x03) return { ok: false, detail: "a command is 7 bytes starting 0x03" };
  if (b[6] !== xor(b, 6)) return { ok: false, detail: "checksum" };
  if (b[1] === 0x0f) return { ok: true, value: { kind: "tare", counter: b[2] ?? 0 } };
  if (b[1] === 0x0b) return { ok: true, value: { kind: "timer", action: b[2] === 0x03 ? "start" : b[2] === 0x02 ? "reset" : "stop" } };
  if (b[1] === 0x0a && b[2] === 0x03) return { ok: true, value: { kind: "heartbeat" } };
  if (b[1] === 0x0a) return { ok: true, value: { kind: "led", on: b[2] === 0x01 } };
  return { ok: false, detail: `command 0x${(b[1] ?? 0).toString(16)}` };
}
