/**
 * `npm run bench:hub-store`: shot history at scale. Fills a fresh on-disk database with 10 000
 * shots of 30 s at 20 Hz (600 samples each, checkpointed in 1 s chunks like the recorder does), then
 * times listing the latest 50, paging deep into history, and reading one shot back with its
 * samples as JSON. Prints JSON; targets from issue 5: list ≤ 20 ms, export ≤ 50 ms.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJson, exportVisualizer } from "../../hub/src/shots/export.ts";
import { openDatabase } from "../../hub/src/store/db.ts";
import { ShotStore } from "../../hub/src/store/shot-store.ts";
import { BENCH_SUMMARY, shotSamples } from "./shot-samples.ts";

const SHOTS = Number(process.env.SHOTS ?? 10000);
const dir = mkdtempSync(join(tmpdir(), "brewos-bench-store-"));
const path = join(dir, "hub.sqlite");
const store = new ShotStore(openDatabase(path));

const t0 = performance.now();
const base = Date.UTC(2025, 0, 1);
let lastId = "";
for (let k = 0; k < SHOTS; k++) {
  const id = store.begin({
    started_at_ms: base + k * 3_600_000,
    shot_token: k,
    source: "command",
    profile_slot: 0,
    profile_json: null,
    dose_g: 18,
    target_g: 36,
  });
  const chunks = shotSamples(k);
  for (const c of chunks.slice(0, -1)) store.appendSamples(id, c);
  store.finish(id, chunks.at(-1) ?? [], BENCH_SUMMARY);
  lastId = id;
}
const fillS = (performance.now() - t0) / 1000;

function time(runs: number, fn: () => unknown): { p50_ms: number; p99_ms: number } {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const a = performance.now();
    fn();
    xs.push(performance.now() - a);
  }
  xs.sort((a, b) => a - b);
  const q = (p: number) => Math.round((xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0) * 1000) / 1000;
  return { p50_ms: q(0.5), p99_ms: q(0.99) };
}

const middle = store.list(1, store.list(SHOTS / 2)[SHOTS / 2 - 1]?.id)[0]?.id ?? lastId;
const list = time(200, () => JSON.stringify(store.list(50)));
const deepPage = time(200, () => JSON.stringify(store.list(50, middle)));
const exportOne = time(100, () => {
  const shot = store.get(lastId);
  if (shot) exportJson(shot, store.samples(lastId));
});
const exportVis = time(100, () => {
  const shot = store.get(lastId);
  if (shot) exportVisualizer(shot, store.samples(lastId), { name: "BrewOS", version: "bench" });
});
const result = {
  benchmark: "hub-store",
  shots: SHOTS,
  samples_per_shot: 600,
  fill_s: Math.round(fillS * 10) / 10,
  db_bytes: statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0),
  list_latest_50: list,
  list_50_from_the_middle: deepPage,
  export_one_shot_json: exportOne,
  export_one_shot_visualizer: exportVis,
  targets: { list_le_20_ms: list.p99_ms <= 20, export_le_50_ms: Math.max(exportOne.p99_ms, exportVis.p99_ms) <= 50 },
};
console.log(JSON.stringify(result, null, 2));
rmSync(dir, { recursive: true, force: true });
