// Shared helpers for the repository scripts: run a command, capture or stream its output.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Run a command from the repository root; returns { status, out }. Streams output when `echo`. */
export function run(cmd, args, { echo = true, env = {}, cwd = root } = {}) {
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const out = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  if (echo) process.stdout.write(out);
  if (r.error) return { status: 127, out: `${out}${r.error.message}\n` };
  return { status: r.status ?? 1, out };
}

/** Like run, but exits the process with a message when the command fails. */
export function must(cmd, args, opts) {
  const r = run(cmd, args, opts);
  if (r.status !== 0) {
    console.error(`\nfailed: ${cmd} ${args.join(" ")}`);
    process.exit(r.status || 1);
  }
  return r;
}

/** The folder of pinned third-party archives (BREWOS_VENDOR_DIR, default ../shared/vendor), or null. */
export function vendorDir() {
  const setting = process.env.BREWOS_VENDOR_DIR ?? join("..", "shared", "vendor");
  const dir = isAbsolute(setting) ? setting : join(root, setting);
  return existsSync(join(dir, "SHA256SUMS")) ? dir : null;
}

/** Configures and builds the machine display (display/, LVGL 9.5) into `buildDir`: LVGL from the
 * pinned archive when the vendor folder has it (hash-checked by CMake), else from its git tag.
 * `extra`: more cmake arguments (a toolchain file for the Cortex-M33). Returns { status, out }. */
export function buildDisplay(buildDir, extra = [], jobs = "2") {
  const vendor = vendorDir();
  const cfg = run(
    "cmake",
    ["-S", "display", "-B", buildDir, "-DCMAKE_BUILD_TYPE=Release", ...(vendor ? [`-DBREWOS_VENDOR_DIR=${vendor}`] : []), ...extra],
    { echo: false },
  );
  return cfg.status === 0 ? run("cmake", ["--build", buildDir, "-j", jobs], { echo: false }) : cfg;
}

/** Path of the bun binary installed by npm (devDependency), so no global install is needed. */
export const bun = join(root, "node_modules", ".bin", "bun");

/** The TypeScript test suites `npm test` runs with bun test: label, arguments, folder. Browser tests
 * need the built app and Debian's chromium. */
export const TS_SUITES = [
  {
    label: "TypeScript: bun test (protocol, controller simulator, hub, scripts)",
    args: ["./protocol", "./controller", "./hub", "./relay", "./display", "./scripts", "./bench"],
    cwd: root,
  },
  { label: "app: component tests (happy-dom)", args: ["src"], cwd: join(root, "pwa") },
  { label: "app: browser end-to-end (Chromium, hub on the simulator)", args: ["./pwa/e2e"], cwd: root, browser: true },
];

/** The names of the failed tests in a bun test output ("(fail) describe > test"). */
export function failedTests(out) {
  return out
    .split("\n")
    .map((l) => /^\(fail\) (.+?)(?: \[[\d.]+m?s\])?$/.exec(l)?.[1])
    .filter((n) => n !== undefined);
}
