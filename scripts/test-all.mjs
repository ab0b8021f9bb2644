// `npm test`: builds the controller for the host, runs every ctest and every bun test, and ends
// with one plain line "N passed, N failed" (cmocka cases are counted one by one).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildDisplay, bun, root, run, TS_SUITES } from "./lib.mjs";

const jobs = String(Math.max(2, Number(process.env.BREWOS_JOBS ?? 2)));
let passed = 0;
let failed = 0;
const problems = [];

/** Every ctest in `dir`, cmocka cases counted one by one; the counts join the total. */
function ctest(label, dir) {
  console.log(`== ${label}: ctest`);
  const ct = run("ctest", ["--test-dir", dir, "-V", "-j", jobs], { echo: false });
  const failedBefore = failed;
  const perTest = new Map();
  for (const line of ct.out.split("\n")) {
    const m = line.match(/^(\d+): \[ {2}(PASSED|FAILED) {2}\] (\d+) test/);
    if (m) {
      const t = perTest.get(m[1]) ?? { pass: 0, fail: 0 };
      t[m[2] === "PASSED" ? "pass" : "fail"] += Number(m[3]);
      perTest.set(m[1], t);
    }
  }
  for (const line of ct.out.split("\n")) {
    const m = line.match(
      /Test\s+#(\d+): (\S+) \.+\**\s*(Passed|Failed|\*\*\*Failed|Not Run|\*\*\*Not Run|\*\*\*Exception.*|\*\*\*Timeout.*|Exit code.*)/,
    );
    if (!m) continue;
    const ok = m[3] === "Passed";
    const c = perTest.get(m[1]);
    if (c && ok) passed += c.pass;
    else if (c) {
      passed += c.pass;
      failed += Math.max(1, c.fail);
    } else if (ok) passed++;
    else failed++;
    console.log(`  ${ok ? "ok  " : "FAIL"} ${m[2]}${c ? ` (${c.pass} passed, ${c.fail} failed)` : ""}`);
    if (!ok) problems.push(`${label} ctest ${m[2]}`);
  }
  if (failed > failedBefore)
    process.stdout.write(
      `${ct.out
        .split("\n")
        .filter((l) => /ERROR|FAILED|error|Failure/.test(l))
        .join("\n")}\n`,
    );
}

console.log("== controller: configure and build (host)");
const cfg = run("cmake", ["-S", "controller", "-B", "build/host", "-DCMAKE_BUILD_TYPE=RelWithDebInfo"], { echo: false });
const build = cfg.status === 0 ? run("cmake", ["--build", "build/host", "-j", jobs], { echo: false }) : cfg;
if (build.status !== 0) {
  process.stdout.write(build.out);
  failed++;
  problems.push("controller build");
} else {
  ctest("controller", "build/host");
}

console.log("== display: configure and build (host, LVGL 9.5)");
const display = buildDisplay("build/display", [], jobs);
if (display.status !== 0) {
  process.stdout.write(display.out.split("\n").slice(-40).join("\n"));
  failed++;
  problems.push("display build");
} else {
  ctest("display", "build/display");
}

/** One bun test run; its pass/fail counts join the total. */
function bunTest(label, args, cwd = root) {
  console.log(`== ${label}`);
  const bt = run(bun, ["test", ...args], { echo: false, cwd });
  // The whole output stays on disk: a failure under CI load can be read afterwards, not rerun.
  const logs = join(root, "build", "test-logs");
  mkdirSync(logs, { recursive: true });
  const log = join(logs, `${label.replace(/[^a-zA-Z0-9]+/g, "-").toLowerCase()}.log`);
  writeFileSync(log, bt.out);
  process.stdout.write(
    bt.out
      .split("\n")
      .filter((l) => /^\(fail\)|error:|^\s+at |^[-+] |^\s+[-+] /.test(l))
      .join("\n"),
  );
  if (/^\(fail\)/m.test(bt.out)) console.log(`\n  full output: ${log}`);
  const bp = bt.out.match(/^\s*(\d+) pass/m);
  const bf = bt.out.match(/^\s*(\d+) fail/m);
  if (!bp) {
    process.stdout.write(bt.out);
    failed++;
    problems.push(`${label} did not run`);
    return;
  }
  passed += Number(bp[1]);
  failed += Number(bf?.[1] ?? 0);
  console.log(`  ${label}: ${bp[1]} passed, ${bf?.[1] ?? 0} failed`);
  if (bt.status !== 0 && Number(bf?.[1] ?? 0) === 0) {
    failed++;
    problems.push(`${label} exited non-zero`);
  }
}

const [core, components, browser] = TS_SUITES;
bunTest(core.label, core.args, core.cwd);
bunTest(components.label, components.args, components.cwd);

console.log("== app: build (vite)");
const app = run(join(root, "node_modules", ".bin", "vite"), ["build"], { echo: false, cwd: join(root, "pwa") });
if (app.status !== 0) {
  process.stdout.write(app.out);
  failed++;
  problems.push("app build");
} else if (!existsSync("/usr/bin/chromium")) {
  console.log("  browser tests need Debian's chromium: apt-get install chromium (.ci/run installs it)");
  failed++;
  problems.push("chromium missing for the browser tests");
} else {
  bunTest(browser.label, browser.args, browser.cwd);
}

if (problems.length > 0) console.log(`\nproblems: ${problems.join("; ")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
