// clang-format over hand-written C in controller/ and display/ (generated files excluded): --check or --write.
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { root, run } from "./lib.mjs";

const write = process.argv.includes("--write");
const files = [];
const walk = (d) => {
  for (const name of readdirSync(d)) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(c|h)$/.test(name) && !/_gen\.(c|h)$/.test(name)) files.push(p);
  }
};
walk(join(root, "controller"));
walk(join(root, "display"));
const r = run("clang-format", write ? ["-i", ...files] : ["--dry-run", "--Werror", ...files], { echo: false });
if (r.status !== 0) {
  process.stdout.write(r.out.split("\n").slice(0, 40).join("\n"));
  console.error(`\nclang-format: ${write ? "failed" : "C files need formatting; run npm run format"}`);
  process.exit(1);
}
console.log(`clang-format: ${files.length} files ${write ? "formatted" : "clean"} (${files.map((f) => relative(root, f)).length})`);
