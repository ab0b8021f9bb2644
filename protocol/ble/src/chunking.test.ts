/**
 * The GATT framing's golden vectors (protocol/ble/vectors/chunking.json: odd MTUs, the sequence
 * wrapping, the 512-byte ATT value limit), then the receiver's resync cases: a lost chunk, a
 * repeated one, a continuation with no message open, a new message inside one, a length beyond the
 * limit, more bytes than announced — each drops only the message it broke, and the next one arrives.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import vectors from "../vectors/chunking.json";
import { ChunkJoiner, chunkMessage, chunkRoom, MAX_MESSAGE_BYTES, MAX_MTU, MIN_MTU } from "./chunking.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytes = (h: string) => Uint8Array.from(Buffer.from(h, "hex"));
const utf8 = (s: string) => new TextEncoder().encode(s);

function join(chunks: Uint8Array[], j = new ChunkJoiner()) {
  const out: string[] = [];
  const reasons: string[] = [];
  for (const c of chunks) {
    const r = j.push(c);
    if (r.kind === "message") out.push(new TextDecoder().decode(r.message));
    if (r.kind === "resync") {
      reasons.push(r.reason);
      if (r.message) out.push(new TextDecoder().decode(r.message));
    }
  }
  return { out, reasons, resyncs: j.resyncs };
}

describe("BLE chunking", () => {
  for (const v of vectors.chunking) {
    test(`vector: ${v.name}`, () => {
      const r = chunkMessage(utf8(v.text), v.mtu, v.seq);
      expect(r.chunks.map(hex)).toEqual(v.chunks);
      expect(r.nextSeq).toBe(v.next_seq);
      for (const c of r.chunks) expect(c.length).toBeLessThanOrEqual(Math.min(v.mtu - 3, 512));
      expect(join(v.chunks.map(bytes)).out).toEqual([v.text]);
    });
  }

  test("any message at any MTU comes back whole, in order, with no resync", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 900 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: MIN_MTU, max: MAX_MTU }),
        (texts, mtu) => {
          let seq = 0;
          const all: Uint8Array[] = [];
          for (const t of texts) {
            const r = chunkMessage(utf8(t), mtu, seq);
            seq = r.nextSeq;
            all.push(...r.chunks);
          }
          const j = join(all);
          expect(j.out).toEqual(texts);
          expect(j.resyncs).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  test("resync: each broken message is dropped alone, and the next one arrives", () => {
    const long = "a".repeat(50);
    const a = chunkMessage(utf8(long), 23, 0); // 3 chunks, seq 0..2
    const b = chunkMessage(utf8("next"), 23, a.nextSeq); // seq 3
    const cases: [string, Uint8Array[], string][] = [
      ["a lost middle chunk", [a.chunks[0], a.chunks[2], ...b.chunks] as Uint8Array[], "gap"],
      ["a chunk repeated", [a.chunks[0], a.chunks[1], a.chunks[1], a.chunks[2], ...b.chunks] as Uint8Array[], "gap"],
      ["a continuation with no message open", [a.chunks[1], a.chunks[2], ...b.chunks] as Uint8Array[], "no_first"],
      ["a lost LAST: the next FIRST arrives inside the message", [a.chunks[0], a.chunks[1], ...b.chunks] as Uint8Array[], "first_inside"],
    ];
    for (const [what, chunks, reason] of cases) {
      const r = join(chunks);
      expect({ what, out: r.out, reasons: r.reasons }).toEqual({ what, out: ["next"], reasons: [reason] }); // one resync per broken message
    }
    // A length beyond the limit, and more bytes than announced, from a broken or hostile sender.
    const j = new ChunkJoiner();
    expect(j.push(Uint8Array.of(0xc0, 0x01, 0x00, 0x01))).toMatchObject({ kind: "resync", reason: "too_long" });
    expect(j.push(Uint8Array.of(0xc1, 0x00, 0x00, 0x01, 0x41, 0x42))).toMatchObject({ kind: "resync", reason: "overrun" });
    expect(j.push(Uint8Array.of(0xc2, 0x00, 0x00, 0x02, 0x41))).toMatchObject({ kind: "resync", reason: "short" });
    expect(j.push(new Uint8Array(0))).toMatchObject({ kind: "resync", reason: "empty" });
    const ok = chunkMessage(utf8("ok"), 23, 3).chunks[0] as Uint8Array;
    expect(j.push(ok)).toMatchObject({ kind: "message" });
  });

  test("what cannot be sent is refused at the sender", () => {
    expect(() => chunkRoom(22)).toThrow(RangeError);
    expect(() => chunkRoom(518)).toThrow(RangeError);
    expect(() => chunkMessage(new Uint8Array(MAX_MESSAGE_BYTES + 1), 247, 0)).toThrow(RangeError);
    expect(chunkMessage(new Uint8Array(MAX_MESSAGE_BYTES), 517, 0).chunks.length).toBe(129);
  });
});
