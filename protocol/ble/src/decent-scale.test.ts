import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import vectors from "../vectors/decent-scale.json";
import {
  type DecentCommand,
  encodeDecentCommand,
  encodeDecentWeight,
  parseDecentCommand,
  parseDecentNotification,
} from "./decent-scale.ts";

const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, "hex"));

describe("Decent Scale protocol", () => {
  for (const v of vectors.notifications) {
    test(`notification: ${v.name}`, () => {
      const r = parseDecentNotification(bytes(v.hex));
      if ("error" in v) expect(r).toMatchObject({ ok: false, error: v.error });
      else expect(r).toEqual({ ok: true, value: v.expect as never });
    });
  }

  for (const v of vectors.commands) {
    test(`command: ${v.name}`, () => {
      expect(Buffer.from(encodeDecentCommand(v.command as DecentCommand)).toString("hex")).toBe(v.hex);
      expect(parseDecentCommand(bytes(v.hex))).toEqual({ ok: true, value: v.command as DecentCommand });
    });
  }

  test("any weight in range round trips at 0.1 g; out of range is refused", () => {
    fc.assert(
      fc.property(fc.integer({ min: -32768, max: 32767 }), fc.boolean(), (dg, stable) => {
        const r = parseDecentNotification(encodeDecentWeight(dg / 10, stable));
        expect(r).toEqual({ ok: true, value: { kind: "weight", grams: dg / 10, stable, timestamp_ms: null } });
      }),
      { numRuns: 2000 },
    );
    expect(() => encodeDecentWeight(3276.8, true)).toThrow(/int16/);
  });

  test("any single flipped bit is caught", () => {
    const good = encodeDecentWeight(36.2, true);
    for (let i = 0; i < good.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const b = good.slice();
        b[i] = (b[i] ?? 0) ^ (1 << bit);
        expect(parseDecentNotification(b).ok).toBe(false);
      }
    }
  });
});
