import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { formatHlc, HLC_LENGTH, Hlc, HlcError, newNodeId, parseHlc } from "./hlc.ts";

const A = "0123456789abcdef";
const B = "fedcba9876543210";

describe("hybrid logical clock", () => {
  test("round trip, fixed width, and string order is time order", () => {
    const s = formatHlc({ millis: Date.UTC(2026, 10, 27, 9, 45, 12, 345), counter: 10, node: A });
    expect(s).toBe("2026-11-27T09:45:12.345Z-000a-0123456789abcdef");
    expect(s).toHaveLength(HLC_LENGTH);
    expect(parseHlc(s)).toEqual({ millis: Date.UTC(2026, 10, 27, 9, 45, 12, 345), counter: 10, node: A });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        fc.integer({ min: 0, max: 0xffff }),
        (m1, c1, m2, c2) => {
          const x = formatHlc({ millis: m1, counter: c1, node: A });
          const y = formatHlc({ millis: m2, counter: c2, node: A });
          expect(parseHlc(x)).toEqual({ millis: m1, counter: c1, node: A });
          const byParts = (m1 !== m2 ? Math.sign(m1 - m2) : Math.sign(c1 - c2)) || 0;
          expect(x < y ? -1 : x > y ? 1 : 0).toBe(byParts);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test("local stamps always increase, also with equal or backwards wall clock", () => {
    let t = 1_000_000;
    const c = new Hlc(A, null, () => t);
    const a = c.send();
    const b = c.send(); // same millisecond: the counter moves
    t -= 500; // the wall clock steps back (NTP)
    const d = c.send();
    expect(a < b && b < d).toBe(true);
    expect(parseHlc(b).counter).toBe(1);
    t += 10_000;
    expect(parseHlc(c.send())).toMatchObject({ millis: t, counter: 0 });
  });

  test("after recv, the next local stamp is newer than what was received", () => {
    let t = 5_000_000;
    const mine = new Hlc(A, null, () => t);
    const theirs = new Hlc(B, null, () => t + 60_000); // a minute ahead: within the limit
    const remote = theirs.send();
    mine.recv(remote);
    expect(mine.send() > remote).toBe(true);
    t += 1;
    expect(mine.send() > remote).toBe(true);
  });

  test("drift: a timestamp more than 5 min ahead is refused and changes nothing; 4 min is fine", () => {
    const t = 10_000_000;
    const c = new Hlc(A, null, () => t);
    const four = formatHlc({ millis: t + 4 * 60_000, counter: 0, node: B });
    const six = formatHlc({ millis: t + 6 * 60_000, counter: 0, node: B });
    const before = c.last;
    expect(() => c.recv(six)).toThrow(HlcError);
    try {
      c.recv(six);
    } catch (e) {
      expect((e as HlcError).code).toBe("clock_drift");
    }
    expect(c.last).toBe(before);
    c.recv(four);
    expect(c.send() > four).toBe(true);
  });

  test("counter overflow is an error, not a wrap-around", () => {
    const c = new Hlc(A, formatHlc({ millis: 7_000, counter: 0xfffe, node: A }), () => 7_000);
    c.send();
    expect(() => c.send()).toThrow("65535");
  });

  test("bad input is refused with a reason", () => {
    expect(() => parseHlc("2026-11-27T09:45:12.345Z-0000-XYZ")).toThrow(HlcError);
    expect(() => parseHlc("2026-02-30T09:45:12.345Z-0000-0123456789abcdef")).toThrow("not a real time");
    expect(() => new Hlc("short")).toThrow("16 lower-case hex");
    expect(newNodeId()).toMatch(/^[0-9a-f]{16}$/);
    const c = new Hlc(A, "2026-11-27T09:45:12.345Z-0003-0123456789abcdef", () => 0);
    expect(c.last).toBe("2026-11-27T09:45:12.345Z-0003-0123456789abcdef"); // restored from storage
  });
});
