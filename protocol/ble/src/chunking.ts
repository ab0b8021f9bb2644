/**
 * @module The BrewOS GATT service's framing (docs/api/ble.md): the app and the hub exchange the
 * same JSON messages as on `/ws`, cut into chunks that fit one ATT write or notification
 * (MTU − 3 bytes). Each chunk starts with one header byte — bit 7 FIRST, bit 6 LAST, bits 0–5 a
 * sequence number that counts every chunk in that direction, modulo 64 — and a FIRST chunk then
 * carries the message's length (uint24, big-endian). The receiver joins chunks back; a gap in the
 * sequence (a lost chunk), a continuation with no message open, a FIRST inside a message, or more
 * bytes than announced drop the partial message and count one resync (its remaining chunks are
 * skipped) — the next FIRST starts clean, so one lost chunk costs one message, never the link.
 */

export const ATT_HEADER_BYTES = 3;
/** The smallest ATT MTU (BLE 4.0 default). */
export const MIN_MTU = 23;
/** The largest ATT MTU (BLE 4.2+; an attribute value is at most 512 bytes). */
export const MAX_MTU = 517;
/** Longest message one way; what is longer is refused by the sender and dropped by the receiver. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
export const FLAG_FIRST = 0x80;
export const FLAG_LAST = 0x40;
export const SEQ_MASK = 0x3f;
const LENGTH_BYTES = 3;

/** Chunk payload room for an MTU: one ATT value, less the header byte. */
export function chunkRoom(mtu: number): number {
  if (!Number.isInteger(mtu) || mtu < MIN_MTU || mtu > MAX_MTU) throw new RangeError(`an ATT MTU is ${MIN_MTU} to ${MAX_MTU}, not ${mtu}`);
  return Math.min(mtu - ATT_HEADER_BYTES, 512) - 1;
}

/** Cuts one message into chunks for `mtu`, numbering them from `seq`; the next sequence number comes back too. */
export function chunkMessage(message: Uint8Array, mtu: number, seq: number): { chunks: Uint8Array[]; nextSeq: number } {
  if (message.length > MAX_MESSAGE_BYTES) throw new RangeError(`a message is at most ${MAX_MESSAGE_BYTES} bytes, not ${message.length}`);
  const room = chunkRoom(mtu);
  const chunks: Uint8Array[] = [];
  let at = 0;
  let s = seq & SEQ_MASK;
  do {
    const first = at === 0;
    const take = Math.min(room - (first ? LENGTH_BYTES : 0), message.length - at);
    const last = at + take === message.length;
    const c = new Uint8Array(1 + (first ? LENGTH_BYTES : 0) + take);
    c[0] = (first ? FLAG_FIRST : 0) | (last ? FLAG_LAST : 0) | s;
    let o = 1;
    if (first) {
      c[1] = (message.length >> 16) & 0xff;
      c[2] = (message.length >> 8) & 0xff;
      c[3] = message.length & 0xff;
      o = 4;
    }
    c.set(message.subarray(at, at + take), o);
    chunks.push(c);
    at += take;
    s = (s + 1) & SEQ_MASK;
  } while (at < message.length);
  return { chunks, nextSeq: s };
}

export type ChunkOutcome =
  | { kind: "message"; message: Uint8Array }
  | { kind: "partial" }
  /** The rest of a message already dropped: ignored until the next FIRST. */
  | { kind: "skipped" }
  /** The chunk broke the stream; what was being joined is dropped (`reason`), and this chunk was used if it was a FIRST. */
  | { kind: "resync"; reason: "gap" | "no_first" | "first_inside" | "too_long" | "overrun" | "short" | "empty"; message?: Uint8Array };

/** Joins one direction's chunks back into messages. */
export class ChunkJoiner {
  private expectSeq: number | null = null;
  private buf: Uint8Array | null = null;
  private filled = 0;
  /** A message was dropped: its remaining chunks are ignored, not counted again. */
  private skipping = false;
  resyncs = 0;

  push(chunk: Uint8Array): ChunkOutcome {
    if (chunk.length < 1) return this.broke("empty");
    const h = chunk[0] as number;
    const seq = h & SEQ_MASK;
    const gap = this.expectSeq !== null && seq !== this.expectSeq;
    this.expectSeq = (seq + 1) & SEQ_MASK;
    if (h & FLAG_FIRST) {
      this.skipping = false;
      const open = this.buf !== null;
      const started = this.start(chunk);
      if (open) {
        this.resyncs++;
        const r: ChunkOutcome = { kind: "resync", reason: "first_inside" };
        return started.kind === "message" ? { ...r, message: started.message } : r;
      }
      return started;
    }
    if (!this.buf && this.skipping) return { kind: "skipped" };
    if (gap) return this.broke("gap");
    if (!this.buf) return this.broke("no_first");
    return this.take(chunk.subarray(1), (h & FLAG_LAST) !== 0);
  }

  private start(chunk: Uint8Array): ChunkOutcome {
    this.buf = null;
    if (chunk.length < 1 + LENGTH_BYTES) return this.broke("empty");
    const length = ((chunk[1] as number) << 16) | ((chunk[2] as number) << 8) | (chunk[3] as number);
    if (length > MAX_MESSAGE_BYTES) return this.broke("too_long");
    this.buf = new Uint8Array(length);
    this.filled = 0;
    return this.take(chunk.subarray(1 + LENGTH_BYTES), ((chunk[0] as number) & FLAG_LAST) !== 0);
  }

  private take(data: Uint8Array, last: boolean): ChunkOutcome {
    const buf = this.buf as Uint8Array;
    if (this.filled + data.length > buf.length) return this.broke("overrun");
    buf.set(data, this.filled);
    this.filled += data.length;
    if (!last) return { kind: "partial" };
    this.buf = null;
    if (this.filled !== buf.length) return this.broke("short");
    return { kind: "message", message: buf };
  }

  private broke(reason: Extract<ChunkOutcome, { kind: "resync" }>["reason"]): ChunkOutcome {
    this.buf = null;
    this.skipping = true;
    this.resyncs++;
    return { kind: "resync", reason };
  }
}
