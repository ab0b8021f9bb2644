/**
 * @module One UART frame: COBS( header | payload | crc16 ) 0x00. Header is version u8, type u8,
 * seq u16 LE; the CRC (CRC-16/CCITT-FALSE, LE) covers header and payload.
 */
import { cobsDecode, cobsEncode } from "./cobs.ts";
import { crc16CcittFalse } from "./crc16.ts";
import {
  CRC_BYTES,
  HEADER_BYTES,
  MAX_PAYLOAD_BYTES,
  MESSAGE_DESCRIPTORS,
  type MessageDescriptor,
  PROTOCOL_VERSION_MAJOR,
  type UartMessage,
  type UartMessageType,
} from "./generated/messages.ts";
import { decodePayload, encodePayload } from "./payload.ts";

/** A message before the sender stamps its sequence number. */
export type UnsequencedMessage = UartMessage extends infer M ? (M extends UartMessage ? Omit<M, "seq"> : never) : never;

/** Longest frame between delimiters: raw frame plus one COBS code byte (raw ≤ 254 B). */
export const MAX_ENCODED_BYTES = HEADER_BYTES + MAX_PAYLOAD_BYTES + CRC_BYTES + 1;

export type DecodeErrorName =
  | "cobs_invalid"
  | "crc_mismatch"
  | "truncated"
  | "oversize"
  | "unknown_type"
  | "unsupported_version"
  | "payload_short"
  | "field_range";

export type FrameResult = { ok: true; message: UartMessage } | { ok: false; error: DecodeErrorName; detail?: string };

const byId = new Map<number, MessageDescriptor>(MESSAGE_DESCRIPTORS.map((d) => [d.id, d]));
const byName = new Map<string, MessageDescriptor>(MESSAGE_DESCRIPTORS.map((d) => [d.name, d]));
/** Messages whose layout is frozen across major versions, so a peer can always read them. */
const VERSION_FREE: ReadonlySet<string> = new Set(MESSAGE_DESCRIPTORS.filter((d) => d.versionFree).map((d) => d.name));

/** Descriptor for a message name. */
export function messageDescriptor(type: UartMessageType): MessageDescriptor {
  const d = byName.get(type);
  if (!d) throw new RangeError(`unknown message type ${type}`);
  return d;
}

/** Raw (un-stuffed) frame bytes for `msg`; `version` is overridable for tests of version handling. */
export function encodeRawFrame(msg: UartMessage, version = PROTOCOL_VERSION_MAJOR): Uint8Array {
  const desc = messageDescriptor(msg.type);
  if (!Number.isInteger(msg.seq) || msg.seq < 0 || msg.seq > 0xffff) throw new RangeError(`${msg.type}.seq: outside 0..65535`);
  const payload = encodePayload(desc, msg as unknown as Record<string, unknown>);
  const raw = new Uint8Array(HEADER_BYTES + payload.length + CRC_BYTES);
  raw[0] = version;
  raw[1] = desc.id;
  raw[2] = msg.seq & 0xff;
  raw[3] = msg.seq >> 8;
  raw.set(payload, HEADER_BYTES);
  const crc = crc16CcittFalse(raw.subarray(0, HEADER_BYTES + payload.length));
  raw[raw.length - 2] = crc & 0xff;
  raw[raw.length - 1] = crc >> 8;
  return raw;
}

/** Wire bytes for `msg`, delimiter included. Throws RangeError for an out-of-range field. */
export function encodeFrame(msg: UartMessage): Uint8Array {
  const stuffed = cobsEncode(encodeRawFrame(msg));
  const out = new Uint8Array(stuffed.length + 1);
  out.set(stuffed);
  return out;
}

/** Decode the bytes between two delimiters. Never throws. */
export function decodeBlock(block: Uint8Array): FrameResult {
  if (block.length > MAX_ENCODED_BYTES) return { ok: false, error: "oversize" };
  const raw = cobsDecode(block);
  if (!raw) return { ok: false, error: "cobs_invalid" };
  if (raw.length < HEADER_BYTES + CRC_BYTES) return { ok: false, error: "truncated" };
  const body = raw.subarray(0, raw.length - CRC_BYTES);
  const crc = (raw[raw.length - 2] ?? 0) | ((raw[raw.length - 1] ?? 0) << 8);
  if (crc16CcittFalse(body) !== crc) return { ok: false, error: "crc_mismatch" };
  const desc = byId.get(raw[1] ?? 0);
  if (!desc) return { ok: false, error: "unknown_type", detail: `id ${raw[1]}` };
  if (raw[0] !== PROTOCOL_VERSION_MAJOR && !VERSION_FREE.has(desc.name)) {
    return { ok: false, error: "unsupported_version", detail: `version ${raw[0]}` };
  }
  const fields = decodePayload(desc, body.subarray(HEADER_BYTES));
  if ("error" in fields && typeof fields.error === "string" && "field" in fields) {
    return { ok: false, error: fields.error as DecodeErrorName, detail: `${desc.name}.${String(fields.field)}` };
  }
  const message = { type: desc.name, seq: (raw[2] ?? 0) | ((raw[3] ?? 0) << 8), ...fields } as UartMessage;
  return { ok: true, message };
}
