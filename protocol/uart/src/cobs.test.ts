import { describe, expect, test } from "bun:test";
import { cobsDecode, cobsEncode } from "./cobs.ts";

const b = (...n: number[]) => Uint8Array.from(n);

describe("COBS", () => {
  test("encodes the textbook examples", () => {
    expect([...cobsEncode(b(0x00))]).toEqual([0x01, 0x01]);
    expect([...cobsEncode(b(0x00, 0x00))]).toEqual([0x01, 0x01, 0x01]);
    expect([...cobsEncode(b(0x11, 0x22, 0x00, 0x33))]).toEqual([0x03, 0x11, 0x22, 0x02, 0x33]);
    expect([...cobsEncode(b(0x11, 0x00, 0x00, 0x00))]).toEqual([0x02, 0x11, 0x01, 0x01, 0x01]);
  });
  test("never emits a zero byte and round-trips 254- and 255-byte runs", () => {
    for (const n of [253, 254, 255, 300]) {
      const input = Uint8Array.from({ length: n }, (_, i) => (i % 255) + 1);
      const enc = cobsEncode(input);
      expect(enc.includes(0)).toBe(false);
      expect([...(cobsDecode(enc) ?? [])]).toEqual([...input]);
    }
  });
  test("rejects a block whose code byte points past its end", () => {
    expect(cobsDecode(b(0x05, 0x11, 0x22))).toBeNull();
  });
});
