/**
 * @module `npm run gen` writes every file generated from protocol/uart/messages.json (and the
 * display's alarm words from protocol/api/src/alarm-words.ts);
 * `npm run gen -- --check` writes nothing and exits 1 naming each stale file.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { ALARM_WORDS } from "../../api/src/alarm-words.ts";
import { emitAlarmWordsC } from "./emit-alarm-words.ts";
import { emitCHeader, emitCSource } from "./emit-c.ts";
import { emitMarkdown } from "./emit-md.ts";
import { emitTs } from "./emit-ts.ts";
import { loadTable } from "./table.ts";

const root = join(dirname(new URL(import.meta.url).pathname), "..", "..", "..");
const table = loadTable(JSON.parse(readFileSync(join(root, "protocol/uart/messages.json"), "utf8")));

const outputs: [string, string][] = [
  ["protocol/uart/src/generated/messages.ts", emitTs(table)],
  ["controller/core/link/proto_gen.h", emitCHeader(table)],
  ["controller/core/link/proto_gen.c", emitCSource(table)],
  ["protocol/uart/MESSAGES.md", emitMarkdown(table)],
  ["display/ui/alarm_words_gen.c", emitAlarmWordsC(ALARM_WORDS)],
];

const check = process.argv.includes("--check");
const stale: string[] = [];
for (const [path, text] of outputs) {
  const full = join(root, path);
  let current: string | undefined;
  try {
    current = readFileSync(full, "utf8");
  } catch {
    current = undefined;
  }
  if (current === text) continue;
  if (check) stale.push(relative(root, full));
  else writeFileSync(full, text);
}
if (check && stale.length > 0) {
  console.error(`Generated files are stale or edited by hand: ${stale.join(", ")}`);
  console.error("Edit protocol/uart/messages.json and run `npm run gen` instead.");
  process.exit(1);
}
console.log(check ? `gen check: ${outputs.length} generated files up to date` : `gen: wrote ${outputs.length} files`);
