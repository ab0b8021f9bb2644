/**
 * @module What one relay instance publishes to another: a batch of entries, each `[kind u8]
 * [length u32][body]`. A frame's body starts with its session (u32, as on the hub's wire, so a
 * frame for a hub is sent on as it is); a control's body is JSON. An instance gathers what it has
 * for each other instance until its event loop turns once and publishes it as one message: at
 * 10 000 pairs that is a few hundred PUBLISHes a second instead of 40 000 (docs/remote.md).
 */
import { SESSION_PREFIX_BYTES, sessionOf } from "@brewos/protocol/relay";

export const KIND_CONTROL = 0;
export const KIND_TO_HUB = 1;
export const KIND_TO_APP = 2;
const ENTRY_HEAD_BYTES = 5;
const FIRST_CAPACITY_BYTES = 4096;

/** Entries for one instance, in the order they were put. */
export class Batch {
  private buf = Buffer.allocUnsafe(FIRST_CAPACITY_BYTES);
  private used = 0;

  get bytes(): number {
    return this.used;
  }

  /** An entry: `session` (a frame's) goes before `body`; null for a control. */
  put(kind: number, session: number | null, body: Uint8Array): void {
    const head = session === null ? 0 : SESSION_PREFIX_BYTES;
    const need = this.used + ENTRY_HEAD_BYTES + head + body.length;
    if (need > this.buf.length) this.grow(need);
    const b = this.buf;
    let at = this.used;
    b[at] = kind;
    b.writeUInt32BE(head + body.length, at + 1);
    at += ENTRY_HEAD_BYTES;
    if (session !== null) {
      b.writeUInt32BE(session, at); // the hub wire's prefix (protocol/relay), so a frame for a hub goes on as it is
      at += SESSION_PREFIX_BYTES;
    }
    b.set(body, at);
    this.used = at + body.length;
  }

  /** The batch to publish; what is put next starts a new one (the taken one may still wait in Redis's client). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.used);
    this.buf = Buffer.allocUnsafe(Math.max(FIRST_CAPACITY_BYTES, this.used));
    this.used = 0;
    return out;
  }

  private grow(need: number): void {
    const next = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }
}

/**
 * Each entry of a batch in order, as views into it (`session` -1 for a control; a frame's `body`
 * is its session then its payload). A cut-off entry ends the batch.
 */
export function readBatch(batch: Buffer, each: (kind: number, session: number, body: Buffer) => void): void {
  let at = 0;
  while (at + ENTRY_HEAD_BYTES <= batch.length) {
    const kind = batch[at] as number;
    const end = at + ENTRY_HEAD_BYTES + batch.readUInt32BE(at + 1);
    if (end > batch.length) return;
    const body = batch.subarray(at + ENTRY_HEAD_BYTES, end);
    at = end;
    if (kind === KIND_CONTROL) each(kind, -1, body);
    else {
      const session = sessionOf(body);
      if (session >= 0) each(kind, session, body);
    }
  }
}

/** A frame entry's payload (its body after the session). */
export const payloadOf = (body: Buffer): Buffer => body.subarray(SESSION_PREFIX_BYTES);
