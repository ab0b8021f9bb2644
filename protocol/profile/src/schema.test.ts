/** The JSON Schema and the strict TS reader must agree: every bundled profile passes both, and each
 * bad input below is refused by both. */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { parseProfile } from "./validate.ts";

const root = join(import.meta.dir, "..");
const validate = new Ajv2020({ allErrors: true }).compile(JSON.parse(readFileSync(join(root, "profile.schema.json"), "utf8")));
const readerAccepts = (p: unknown) => {
  try {
    parseProfile(p);
    return true;
  } catch {
    return false;
  }
};

describe("profile JSON Schema", () => {
  const files = readdirSync(join(root, "bundled"));
  test("every bundled profile is valid by the schema and by the reader", () => {
    for (const f of files) {
      const p = JSON.parse(readFileSync(join(root, "bundled", f), "utf8"));
      expect({ f, valid: validate(p), errors: validate.errors ?? null }).toEqual({ f, valid: true, errors: null });
      expect(readerAccepts(p)).toBe(true);
    }
  });

  test("schema and reader refuse the same bad inputs", () => {
    const base = JSON.parse(readFileSync(join(root, "bundled", "classic-9bar.json"), "utf8"));
    const mutations: [string, (p: Record<string, unknown>) => void][] = [
      ["unknown top-level key", (p) => (p.colour = "red")],
      ["no phases", (p) => (p.phases = [])],
      ["17 phases", (p) => (p.phases = Array(17).fill((p.phases as unknown[])[0]))],
      ["pressure above 16 bar", (p) => (((p.phases as Record<string, unknown>[])[0] ?? {}).to = 17)],
      ["power above 100 %", (p) => (p.phases = [{ name: "x", mode: "power", from: null, to: 120, curve: "instant", over_s: 0, exit: {} }])],
      ["unknown curve", (p) => (((p.phases as Record<string, unknown>[])[0] ?? {}).curve = "wiggle")],
      ["unknown exit", (p) => (((p.phases as Record<string, unknown>[])[0] ?? {}).exit = { after_s: 3 })],
      ["bad id", (p) => (p.id = "Classic 9 Bar")],
      ["temperature out of range", (p) => (p.temperature_c = 130)],
    ];
    for (const [what, mutate] of mutations) {
      const p = structuredClone(base);
      mutate(p);
      expect({ what, schema: validate(p), reader: readerAccepts(p) }).toEqual({ what, schema: false, reader: false });
    }
  });
});
