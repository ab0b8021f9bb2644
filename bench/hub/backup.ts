/**
 * `npm run bench:backup`: a backup of a large history, streamed out of one hub and into a fresh
 * one over HTTP (SQLite on disk on both). SHOTS shots (default 50 000) of 30 s at 20 Hz. Prints
 * JSON: fill time, backup size, export and import seconds, and this process's peak RSS during
 * each (both hubs and the client live in it, so the figure is an upper bound for one hub); then
 * CONCURRENT (default 8) simultaneous uploads of the same file into a third hub running in its own
 * process (its RSS read from /proc).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hubOnDisk } from "../../hub/src/testing/hub-on-disk.ts";
import { spawnHubProcess } from "../../hub/src/testing/hub-process.ts";
import { addBenchShot } from "./shot-samples.ts";

const SHOTS = Number(process.env.SHOTS ?? 50000);
const work = mkdtempSync(join(tmpdir(), "brewos-bench-backup-"));
const a = await hubOnDisk({ dataDir: join(work, "a") });
const b = await hubOnDisk({ dataDir: join(work, "b") });

let peak = 0;
const sample = () => {
  peak = Math.max(peak, process.memoryUsage().rss);
};
const watch = setInterval(sample, 10);
const mb = (n: number) => Math.round(n / 1e5) / 10;

const t0 = performance.now();
const base = Date.UTC(2024, 0, 1);
for (let start = 0; start < SHOTS; start += 500) {
  a.hub.db.transaction(() => {
    for (let k = start; k < Math.min(SHOTS, start + 500); k++) {
      addBenchShot(a.hub.shots, k, base + k * 600_000);
    }
  })();
}
const fillS = (performance.now() - t0) / 1000;
Bun.gc(true);
const rssBefore = process.memoryUsage().rss;

peak = 0;
const file = join(work, "backup.ndjson");
const t1 = performance.now();
await Bun.write(file, await fetch(`${a.base}/api/backup`));
const exportS = (performance.now() - t1) / 1000;
const exportPeak = peak;

Bun.gc(true);
peak = 0;
const t2 = performance.now();
const r = await fetch(`${b.base}/api/backup`, {
  method: "POST",
  headers: { "content-type": "application/x-ndjson" },
  body: Bun.file(file),
});
const answer = (await r.json()) as { shots_added?: number; error?: unknown };
const importS = (performance.now() - t2) / 1000;
const importPeak = peak;

// Several people restoring at once (CONCURRENT uploads of the same file) into a hub in its own
// process, so its RSS is its own: one runs, the others are told to come back (429 busy).
const CONCURRENT = Number(process.env.CONCURRENT ?? 8);
const cDir = join(work, "c");
const c = await spawnHubProcess(cDir, ["--tcp", "127.0.0.1:1"]);
const hubRss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${c.proc.pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
let hubPeak = 0;
const hubWatch = setInterval(() => {
  hubPeak = Math.max(hubPeak, hubRss());
}, 10);
const hubRssBefore = hubRss();
const t3 = performance.now();
const answers = await Promise.all(
  Array.from({ length: CONCURRENT }, () =>
    fetch(`${c.base}/api/backup`, { method: "POST", headers: { "content-type": "application/x-ndjson" }, body: Bun.file(file) }).then(
      (x) => x.status,
    ),
  ),
);
const concurrentS = (performance.now() - t3) / 1000;
clearInterval(hubWatch);
c.proc.kill();
await c.proc.exited;
clearInterval(watch);
const restored = b.hub.db.query<{ n: number }, []>("SELECT COUNT(*) AS n FROM shots").get()?.n ?? 0;

console.log(
  JSON.stringify(
    {
      shots: SHOTS,
      fill_s: Math.round(fillS * 10) / 10,
      backup_mb: mb(statSync(file).size),
      export_s: Math.round(exportS * 10) / 10,
      import_s: Math.round(importS * 10) / 10,
      import_status: r.status,
      shots_restored: restored,
      answer: answer.error ?? { shots_added: answer.shots_added },
      rss_before_mb: mb(rssBefore),
      peak_rss_export_mb: mb(exportPeak),
      peak_rss_import_mb: mb(importPeak),
      concurrent_uploads: CONCURRENT,
      concurrent_statuses: answers,
      concurrent_s: Math.round(concurrentS * 10) / 10,
      hub_process_rss_before_mb: mb(hubRssBefore),
      hub_process_peak_rss_concurrent_mb: mb(hubPeak),
      target: { peak_rss_mb: 200, restored: SHOTS },
    },
    null,
    2,
  ),
);
await a.stop();
await b.stop();
rmSync(work, { recursive: true, force: true });
