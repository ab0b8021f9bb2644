// `npm run flake-hunt -- [N] [--browser]`: runs the TypeScript suites N times (default 5) on the
// current build and lists every test that failed at least once with its failure count (JSON).
// Needs the host build (`npm test` makes it); --browser also runs the Chromium tests (needs the app
// built and Debian's chromium).
import { bun, failedTests, run, TS_SUITES } from "./lib.mjs";

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 5);
const suites = TS_SUITES.filter((s) => !s.browser || args.includes("--browser"));
const failures = new Map();
const perRun = [];
for (let i = 1; i <= runs; i++) {
  let passed = 0;
  let failed = 0;
  for (const s of suites) {
    const r = run(bun, ["test", ...s.args], { echo: false, cwd: s.cwd });
    passed += Number(r.out.match(/^\s*(\d+) pass/m)?.[1] ?? 0);
    const f = Number(r.out.match(/^\s*(\d+) fail/m)?.[1] ?? (r.status === 0 ? 0 : 1));
    failed += f;
    const names = failedTests(r.out);
    // A suite that failed without naming a test (a crash, a file that did not load) counts as itself.
    if (f > 0 && names.length === 0) names.push(`${s.label} (exit ${r.status})`);
    for (const name of names) failures.set(name, (failures.get(name) ?? 0) + 1);
  }
  perRun.push({ run: i, passed, failed });
  console.error(`run ${i}/${runs}: ${passed} passed, ${failed} failed`);
}
const flaky = [...failures].map(([test, count]) => ({ test, failed_runs: count })).sort((a, b) => b.failed_runs - a.failed_runs);
console.log(JSON.stringify({ runs, suites: suites.map((s) => s.label), per_run: perRun, failed_at_least_once: flaky }, null, 2));
process.exit(flaky.length > 0 ? 1 : 0);
