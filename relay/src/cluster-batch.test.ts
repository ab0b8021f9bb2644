import { describe, expect, test } from "bun:test";
import { Batch, KIND_CONTROL, KIND_TO_APP, KIND_TO_HUB, payloadOf, readBatch } from "./cluster-batch.ts";

type Seen = { kind: number; session: number; body: number[] };

function read(batch: Buffer): Seen[] {
  const seen: Seen[] = [];
  readBatch(batch, (kind, session, body) => seen.push({ kind, session, body: [...body] }));
  return seen;
}

describe("a batch between relay instances", () => {
  test("entries come out in the order they were put; a frame's body starts with its session, as on the hub's wire", () => {
    const b = new Batch();
    b.put(KIND_CONTROL, null, Buffer.from('{"t":"closed","session":7}'));
    b.put(KIND_TO_HUB, 0x01020304, Uint8Array.of(9, 8, 7));
    b.put(KIND_TO_APP, 5, new Uint8Array(0));
    const seen = read(b.take());
    expect(seen.map((e) => [e.kind, e.session])).toEqual([
      [KIND_CONTROL, -1],
      [KIND_TO_HUB, 0x01020304],
      [KIND_TO_APP, 5],
    ]);
    expect(Buffer.from(seen[0]?.body ?? []).toString()).toBe('{"t":"closed","session":7}');
    expect(seen[1]?.body).toEqual([1, 2, 3, 4, 9, 8, 7]);
    expect([...payloadOf(Buffer.from(seen[1]?.body ?? []))]).toEqual([9, 8, 7]);
    expect(seen[2]?.body).toEqual([0, 0, 0, 5]);
  });

  test("it grows past its first buffer without losing a byte, and a taken batch is not touched by the next", () => {
    const b = new Batch();
    const frames = Array.from({ length: 200 }, (_, i) => new Uint8Array(300).fill(i));
    for (const [i, f] of frames.entries()) b.put(KIND_TO_APP, i, f);
    expect(b.bytes).toBe(200 * (5 + 4 + 300));
    const first = b.take();
    expect(b.bytes).toBe(0);
    b.put(KIND_TO_HUB, 1, new Uint8Array(64_000).fill(0xee));
    const seen = read(first);
    expect(seen).toHaveLength(200);
    for (const [i, e] of seen.entries()) {
      expect(e.session).toBe(i);
      expect(e.body.slice(4)).toEqual([...(frames[i] as Uint8Array)]);
    }
    expect(read(b.take())[0]?.body.length).toBe(4 + 64_000);
  });

  test("a cut-off batch yields the whole entries before the cut and nothing after; a frame shorter than a session is skipped", () => {
    const b = new Batch();
    b.put(KIND_TO_HUB, 1, Uint8Array.of(1));
    b.put(KIND_TO_HUB, 2, Uint8Array.of(2, 2));
    const whole = b.take();
    expect(read(whole.subarray(0, whole.length - 1)).map((e) => e.session)).toEqual([1]);
    const short = Buffer.from([KIND_TO_APP, 0, 0, 0, 2, 0xab, 0xcd, KIND_CONTROL, 0, 0, 0, 2, 0x7b, 0x7d]);
    expect(read(short).map((e) => e.kind)).toEqual([KIND_CONTROL]);
    expect(read(Buffer.alloc(3))).toEqual([]);
  });
});
