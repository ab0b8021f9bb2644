/** Runs the golden vectors through the TS codec; controller/tests/test_proto_vectors.c runs the same files in C. */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { encodeFrame } from "../src/frame.ts";
import { UartStreamDecoder } from "../src/stream-decoder.ts";
import { fromJsonMessage, toJsonMessage } from "./vector-json.ts";

type Case = { name: string; hex: string; encode?: boolean; expect: ({ error: string } | { message: Record<string, unknown> })[] };

const dir = new URL(".", import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
const resultsOf = (r: ReturnType<UartStreamDecoder["push"]>): unknown[] =>
  r.map((x) => (x.ok ? { message: toJsonMessage(x.message) } : { error: x.error }));

let total = 0;
for (const file of files) {
  const { cases } = JSON.parse(readFileSync(join(dir, file), "utf8")) as { cases: Case[] };
  total += cases.length;
  describe(`vectors/${file}`, () => {
    for (const c of cases) {
      const wire = Uint8Array.from(Buffer.from(c.hex, "hex"));
      test(`${c.name}: decodes as expected in one chunk`, () => {
        expect(resultsOf(new UartStreamDecoder().push(wire))).toEqual(c.expect);
      });
      test(`${c.name}: decodes the same byte by byte`, () => {
        const d = new UartStreamDecoder();
        const got = [...wire].flatMap((byte) => resultsOf(d.push(Uint8Array.of(byte))));
        expect(got).toEqual(c.expect);
      });
      if (c.encode) {
        test(`${c.name}: encodes to the same bytes`, () => {
          const only = c.expect[0];
          if (!only || !("message" in only)) throw new Error("encode case needs one message");
          expect(Buffer.from(encodeFrame(fromJsonMessage(only.message))).toString("hex")).toBe(c.hex);
        });
      }
    }
  });
}

test("the vector set holds at least 40 cases", () => {
  expect(total).toBeGreaterThanOrEqual(40);
});
