import { describe, expect, test } from "bun:test";
import { crc16CcittFalse } from "./crc16.ts";

describe("CRC-16/CCITT-FALSE", () => {
  test("matches the catalogue check value 0x29B1 over ASCII 123456789", () => {
    expect(crc16CcittFalse(new TextEncoder().encode("123456789"))).toBe(0x29b1);
  });
  test("of no bytes is the initial value", () => {
    expect(crc16CcittFalse(new Uint8Array())).toBe(0xffff);
  });
  test("can be computed in pieces", () => {
    const all = new TextEncoder().encode("123456789");
    expect(crc16CcittFalse(all.subarray(4), crc16CcittFalse(all.subarray(0, 4)))).toBe(0x29b1);
  });
});
