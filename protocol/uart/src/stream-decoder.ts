/**
 * @module Streaming frame decoder: feed it byte chunks as they arrive from a tty, pipe or socket;
 * it yields one result per delimited frame and resynchronises on every 0x00. Never throws and
 * never holds more than one maximum frame of input.
 */
import { decodeBlock, type FrameResult, MAX_ENCODED_BYTES } from "./frame.ts";

/** Link health counters, as the hub exposes them. */
export interface DecoderStats {
  frames: number;
  errors: Record<string, number>;
  /** Frames dropped for any reason (the decoder skipped to the next delimiter). */
  resyncs: number;
  bytes: number;
}

export class UartStreamDecoder {
  private readonly buf = new Uint8Array(MAX_ENCODED_BYTES);
  private len = 0;
  private overflow = false;
  readonly stats: DecoderStats = { frames: 0, errors: {}, resyncs: 0, bytes: 0 };

  /** Consume a chunk; returns the results of every frame it completed, in order. */
  push(chunk: Uint8Array): FrameResult[] {
    const results: FrameResult[] = [];
    this.stats.bytes += chunk.length;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] ?? 0;
      if (b !== 0) {
        if (this.len < MAX_ENCODED_BYTES) this.buf[this.len++] = b;
        else this.overflow = true;
        continue;
      }
      if (this.len === 0 && !this.overflow) continue; // idle delimiter between frames
      const r: FrameResult = this.overflow ? { ok: false, error: "oversize" } : decodeBlock(this.buf.slice(0, this.len));
      this.len = 0;
      this.overflow = false;
      if (r.ok) this.stats.frames++;
      else {
        this.stats.errors[r.error] = (this.stats.errors[r.error] ?? 0) + 1;
        this.stats.resyncs++;
      }
      results.push(r);
    }
    return results;
  }
}
