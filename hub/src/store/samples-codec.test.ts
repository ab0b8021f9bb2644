import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { decodeSamples, encodeSamples, SAMPLE_COLUMNS, type Sample } from "./samples-codec.ts";

const i32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const sample = fc.record(Object.fromEntries(SAMPLE_COLUMNS.map((c) => [c, i32])) as Record<keyof Sample, typeof i32>);

function shot(n: number): Sample[] {
  return Array.from({ length: n }, (_, k) => ({
    t_ms: k * 50,
    brew_cdeg: 9300 + Math.round(20 * Math.sin(k / 40)),
    group_cdeg: 9100,
    pressure_mbar: Math.min(9000, k * 60),
    flow_ul_s: 2000 + (k % 7),
    volume_ul: k * 100,
    pump_pmil: 1000,
    weight_dg: Math.max(0, (k - 200) * 2),
    phase: k < 200 ? 0 : 1,
  }));
}

describe("shot sample blob", () => {
  test("round trips any values", () => {
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 50 }), (xs) => expect(decodeSamples(encodeSamples(xs))).toEqual(xs)),
      { numRuns: 300 },
    );
  });

  test("a 40 s shot at 20 Hz packs small", () => {
    const xs = shot(800);
    const blob = encodeSamples(xs);
    expect(decodeSamples(blob)).toEqual(xs);
    expect(blob.length / xs.length).toBeLessThan(12); // bytes per sample, against 36 raw
  });

  test("a broken blob is refused with what is wrong, never half-read", () => {
    const blob = encodeSamples(shot(10));
    expect(() => decodeSamples(blob.subarray(0, blob.length - 1))).toThrow(/truncated/);
    expect(() => decodeSamples(Uint8Array.from([...blob, 0]))).toThrow(/bytes after/);
    expect(() => decodeSamples(Uint8Array.from([9, ...blob.subarray(1)]))).toThrow(/format 9/);
    expect(() => decodeSamples(new Uint8Array(2))).toThrow(/header/);
    expect(() => encodeSamples([{ ...shot(1)[0], t_ms: 1.5 } as Sample])).toThrow(/t_ms/);
  });
});
