/**
 * @module How messages appear in the golden vector files: plain JSON, with `bytes` fields as hex
 * strings. Shared by the authoring tool and the TS vector test.
 */
import { messageDescriptor } from "../src/frame.ts";
import type { UartMessage } from "../src/generated/messages.ts";

/** Message -> JSON-safe object. */
export function toJsonMessage(m: UartMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) out[k] = v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v;
  return out;
}

/** JSON object from a vector file -> message. */
export function fromJsonMessage(j: Record<string, unknown>): UartMessage {
  const desc = messageDescriptor(j.type as UartMessage["type"]);
  const out: Record<string, unknown> = { ...j };
  for (const f of desc.fields) {
    if (f.wire === "bytes") out[f.name] = Uint8Array.from(Buffer.from(String(j[f.name]), "hex"));
  }
  return out as unknown as UartMessage;
}
