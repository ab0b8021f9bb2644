/** Property tests: random valid messages round-trip; random bytes never throw or stall the decoder. */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { encodeFrame } from "./frame.ts";
import { type FieldDescriptor, MESSAGE_DESCRIPTORS, type UartMessage } from "./generated/messages.ts";
import { UartStreamDecoder } from "./stream-decoder.ts";

function fieldArb(f: FieldDescriptor): fc.Arbitrary<unknown> {
  if (f.wire === "bytes") return fc.uint8Array({ maxLength: f.maxLen });
  if (f.wire === "str") {
    return fc
      .string({ unit: "grapheme", maxLength: f.maxLen })
      .map((s) => s.replaceAll("\0", ""))
      .filter((s) => new TextEncoder().encode(s).length <= f.maxLen);
  }
  if (f.enumValues) return fc.constantFrom(...f.enumValues);
  return fc.integer({ min: f.min, max: f.max });
}

const messageArb: fc.Arbitrary<UartMessage> = fc.oneof(
  ...MESSAGE_DESCRIPTORS.map((d) =>
    fc.record({
      type: fc.constant(d.name),
      seq: fc.integer({ min: 0, max: 0xffff }),
      ...Object.fromEntries(d.fields.map((f) => [f.name, fieldArb(f)])),
    }),
  ),
) as fc.Arbitrary<UartMessage>;

describe("UART stream decoder properties", () => {
  test("every valid message round-trips through encode and the stream decoder", () => {
    fc.assert(
      fc.property(messageArb, (msg) => {
        const r = new UartStreamDecoder().push(encodeFrame(msg));
        expect(r).toEqual([{ ok: true, message: msg }]);
      }),
      { numRuns: 3000 },
    );
  });

  test("random bytes never throw, and a valid frame after them always decodes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), messageArb, (noise, msg) => {
        const d = new UartStreamDecoder();
        d.push(noise);
        // One delimiter flushes whatever the noise left half-open; the next frame must come through.
        const results = d.push(Uint8Array.of(0, ...encodeFrame(msg)));
        expect(results.at(-1)).toEqual({ ok: true, message: msg });
      }),
      { numRuns: 3000 },
    );
  });

  test("random chunking of a valid stream yields the same messages", () => {
    fc.assert(
      fc.property(fc.array(messageArb, { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 40 })), (msgs, cuts) => {
        const wire = Uint8Array.from(msgs.flatMap((m) => [...encodeFrame(m)]));
        const d = new UartStreamDecoder();
        const got: unknown[] = [];
        let at = 0;
        for (const cut of [...cuts, wire.length]) {
          got.push(...d.push(wire.subarray(at, at + cut)));
          at += cut;
          if (at >= wire.length) break;
        }
        if (at < wire.length) got.push(...d.push(wire.subarray(at)));
        expect(got).toEqual(msgs.map((message) => ({ ok: true, message })));
      }),
      { numRuns: 500 },
    );
  });
});
