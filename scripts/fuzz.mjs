// `npm run fuzz [-- SECONDS]`: builds the libFuzzer target with ASan/UBSan (clang), seeds it with
// every golden vector, runs it for a fixed budget (default 30 s) and prints a JSON summary.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { must, root, run } from "./lib.mjs";

const seconds = Number(process.argv[2] ?? process.env.BREWOS_FUZZ_SECONDS ?? 30);
const dir = join(root, "build", "fuzz");
must("cmake", ["-S", "controller", "-B", dir, "-DCMAKE_C_COMPILER=clang", "-DBREWOS_FUZZ=ON", "-DBREWOS_TESTS=OFF"], { echo: false });
must("cmake", ["--build", dir, "--target", "fuzz_frame_decoder", "-j", "2"], { echo: false });

const corpus = join(dir, "corpus");
rmSync(corpus, { recursive: true, force: true });
mkdirSync(corpus, { recursive: true });
const vectors = join(root, "protocol", "uart", "vectors");
let seeds = 0;
for (const f of readdirSync(vectors).filter((x) => x.endsWith(".json"))) {
  for (const c of JSON.parse(readFileSync(join(vectors, f), "utf8")).cases) {
    writeFileSync(join(corpus, `seed-${seeds++}`), Buffer.from(c.hex, "hex"));
  }
}

const r = run(join(dir, "fuzz_frame_decoder"), [`-max_total_time=${seconds}`, "-print_final_stats=1", "-max_len=1024", corpus], {
  echo: false,
});
const stat = (name) => Number(r.out.match(new RegExp(`stat::${name}:\\s+(\\d+)`))?.[1] ?? Number.NaN);
const execs = stat("number_of_executed_units");
const crashed = r.status !== 0;
const summary = {
  target: "fuzz_frame_decoder",
  sanitizers: ["address", "undefined"],
  seconds,
  seeds,
  execs,
  execs_per_s: Math.round(execs / seconds),
  peak_rss_mb: stat("peak_rss_mb"),
  new_units: stat("new_units_added"),
  result: crashed ? "crash" : "ok",
};
if (crashed) process.stdout.write(r.out.split("\n").slice(-40).join("\n"));
console.log(JSON.stringify(summary));
process.exit(crashed ? 1 : 0);
