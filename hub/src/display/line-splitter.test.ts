import { expect, test } from "bun:test";
import { lineSplitter } from "./line-splitter.ts";

test("lines across chunks, a character split between chunks, blank lines skipped, an overlong line refused", () => {
  const got: string[] = [];
  const push = lineSplitter((l) => got.push(l));
  const bytes = new TextEncoder().encode('{"a":"93 °C"}\n\n{"b":1}\n{"c"');
  const cut = bytes.indexOf(0xb0); // inside "°" (0xc2 0xb0)
  expect(push(bytes.subarray(0, cut))).toBe(true);
  expect(push(bytes.subarray(cut))).toBe(true);
  expect(got).toEqual(['{"a":"93 °C"}', '{"b":1}']);
  expect(push(new TextEncoder().encode(":2}\n"))).toBe(true);
  expect(got.at(-1)).toBe('{"c":2}');
  const capped = lineSplitter(() => {}, 8);
  expect(capped(new TextEncoder().encode("12345678"))).toBe(true);
  expect(capped(new TextEncoder().encode("9"))).toBe(false);
});
