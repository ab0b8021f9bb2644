/**
 * @module Table-driven payload codec: walks a message's field descriptors to turn a message object
 * into little-endian bytes and back, validating every value against the table's range.
 */
import type { FieldDescriptor, MessageDescriptor } from "./generated/messages.ts";

export type PayloadFailure = { error: "payload_short" | "field_range"; field: string };

const SIZE: Record<string, number> = { u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4 };

/** Why `value` cannot go in field `f`, or null when it fits. */
export function fieldProblem(f: FieldDescriptor, value: unknown): string | null {
  if (f.wire === "bytes") {
    if (!(value instanceof Uint8Array)) return "expected bytes";
    return value.length <= f.maxLen ? null : `longer than ${f.maxLen} bytes`;
  }
  if (f.wire === "str") {
    if (typeof value !== "string") return "expected a string";
    if (value.includes("\0")) return "contains NUL";
    return new TextEncoder().encode(value).length <= f.maxLen ? null : `longer than ${f.maxLen} bytes`;
  }
  if (typeof value !== "number" || !Number.isInteger(value)) return "expected an integer";
  if (value < f.min || value > f.max) return `outside ${f.min}..${f.max}`;
  if (f.enumValues && !f.enumValues.includes(value)) return `not a value of its enum`;
  return null;
}

/** Encode the fields of `msg` described by `desc`. Throws RangeError naming the bad field. */
export function encodePayload(desc: MessageDescriptor, msg: Record<string, unknown>): Uint8Array {
  const parts: number[] = [];
  for (const f of desc.fields) {
    const v = msg[f.name];
    const problem = fieldProblem(f, v);
    if (problem) throw new RangeError(`${desc.name}.${f.name}: ${problem}`);
    if (f.wire === "bytes" || f.wire === "str") {
      const bytes = f.wire === "str" ? new TextEncoder().encode(v as string) : (v as Uint8Array);
      parts.push(bytes.length, ...bytes);
      continue;
    }
    const n = v as number;
    for (let i = 0; i < (SIZE[f.wire] ?? 0); i++) parts.push(Math.floor(n / 2 ** (8 * i)) & 0xff);
  }
  return Uint8Array.from(parts);
}

/** Decode a payload. Bytes past the last known field are ignored (fields added in minor versions). */
export function decodePayload(desc: MessageDescriptor, bytes: Uint8Array): Record<string, unknown> | PayloadFailure {
  const out: Record<string, unknown> = {};
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  for (const f of desc.fields) {
    if (f.wire === "bytes" || f.wire === "str") {
      if (at + 1 > bytes.length) return { error: "payload_short", field: f.name };
      const len = bytes[at] ?? 0;
      at += 1;
      if (at + len > bytes.length) return { error: "payload_short", field: f.name };
      const slice = bytes.slice(at, at + len);
      at += len;
      if (len > f.maxLen) return { error: "field_range", field: f.name };
      if (f.wire === "bytes") {
        out[f.name] = slice;
        continue;
      }
      if (slice.includes(0)) return { error: "field_range", field: f.name };
      try {
        out[f.name] = new TextDecoder("utf-8", { fatal: true }).decode(slice);
      } catch {
        return { error: "field_range", field: f.name };
      }
      continue;
    }
    const size = SIZE[f.wire] ?? 0;
    if (at + size > bytes.length) return { error: "payload_short", field: f.name };
    let v: number;
    switch (f.wire) {
      case "u8":
        v = view.getUint8(at);
        break;
      case "i8":
        v = view.getInt8(at);
        break;
      case "u16":
        v = view.getUint16(at, true);
        break;
      case "i16":
        v = view.getInt16(at, true);
        break;
      case "u32":
        v = view.getUint32(at, true);
        break;
      default:
        v = view.getInt32(at, true);
    }
    at += size;
    if (fieldProblem(f, v)) return { error: "field_range", field: f.name };
    out[f.name] = v;
  }
  return out;
}
