/**
 * @module Writes vectors/bundled.json: every bundled profile with its binary form. Frozen once
 * committed (refuses to overwrite without --force); the C test and the TS test both check it.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeProfile } from "../src/binary.ts";
import { parseProfile } from "../src/validate.ts";

const here = new URL(".", import.meta.url).pathname;
const out = join(here, "bundled.json");
if (existsSync(out) && !process.argv.includes("--force")) {
  console.log("kept bundled.json (frozen; --force to rewrite)");
  process.exit(0);
}
const dir = join(here, "..", "bundled");
const cases = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => {
    const profile = parseProfile(JSON.parse(readFileSync(join(dir, f), "utf8")));
    return { id: profile.id, hex: Buffer.from(encodeProfile(profile)).toString("hex") };
  });
writeFileSync(out, `${JSON.stringify({ description: "Bundled profiles and their binary form.", cases }, null, 2)}\n`);
console.log(`wrote bundled.json: ${cases.length} cases`);
