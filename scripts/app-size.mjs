// `npm run size:app`: the built app's size as a phone downloads it (gzip level 9), as JSON.
//   first_screen_js: the JavaScript loaded before the dashboard is interactive (index.html's module
//     script and its modulepreloads); budget 150 KB gzip.
//   precache: everything the service worker precaches (its manifest in sw.js); budget 400 KB gzip.
// Exits 1 when a budget is exceeded or the app is not built, so CI can hold the line.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { root } from "./lib.mjs";

const dist = join(root, "pwa", "dist");
if (!existsSync(join(dist, "index.html"))) {
  console.error("app-size: pwa/dist is missing; build the app first (npm run build:app)");
  process.exit(1);
}
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const html = readFileSync(join(dist, "index.html"), "utf8");
const firstScreen = [...html.matchAll(/<(?:script[^>]*type="module"[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/([^"]+)"/g)].map(
  (m) => m[1],
);
const sw = readFileSync(join(dist, "sw.js"), "utf8");
const precached = [...new Set([...sw.matchAll(/url:"([^"]+)"/g)].map((m) => m[1].replace(/^\//, "")))];
const sum = (files) => files.reduce((n, f) => n + gz(f), 0);
const kb = (b) => Math.round(b / 102.4) / 10;
const report = {
  first_screen_js_gzip_kb: kb(sum(firstScreen)),
  first_screen_js_budget_kb: 150,
  precache_gzip_kb: kb(sum(precached) + gz("sw.js")),
  precache_budget_kb: 400,
  precache_files: precached.length,
  first_screen_files: firstScreen,
  largest_gzip_kb: Object.fromEntries(
    precached
      .map((f) => [f, kb(gz(f))])
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6),
  ),
};
console.log(JSON.stringify(report, null, 2));
const over = report.first_screen_js_gzip_kb > report.first_screen_js_budget_kb || report.precache_gzip_kb > report.precache_budget_kb;
if (over) console.error("app-size: over budget");
process.exit(over ? 1 : 0);
