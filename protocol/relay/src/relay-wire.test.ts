import { describe, expect, test } from "bun:test";
import { sessionOf, splitSession, withSession } from "./relay-wire.ts";

describe("the session prefix of hub-side frames", () => {
  test("a session goes in front big-endian and comes back out, across the whole u32 range", () => {
    for (const session of [0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff]) {
      const frame = withSession(session, Uint8Array.of(1, 2, 3));
      expect(sessionOf(frame)).toBe(session);
      expect(splitSession(frame)).toEqual({ session, payload: Uint8Array.of(1, 2, 3) });
    }
    expect([...withSession(0x01020304, new Uint8Array(0))]).toEqual([1, 2, 3, 4]);
    expect(sessionOf(new Uint8Array(8).subarray(5))).toBe(-1);
  });

  test("a frame shorter than its prefix has no session", () => {
    expect(sessionOf(Uint8Array.of(0, 0, 1))).toBe(-1);
    expect(splitSession(new Uint8Array(0))).toBeNull();
    expect(sessionOf(Buffer.from([0, 0, 0, 9, 0xaa]).subarray(0, 4))).toBe(9);
  });
});
