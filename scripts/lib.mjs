// Shared helpers for the repository scripts: run a command, capture or stream its output.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
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

/** Path of the bun binary installed by npm (devDependency), so no global install is needed. */
export const bun = join(root, "node_modules", ".bin", "bun");

/** The TypeScript test suites `npm test` runs with bun test: label, arguments, folder. Browser tests
 * need the built app and Debian's chromium. */
export const TS_SUITES = [
  {
    label: "TypeScript: bun test (protocol, controller simulator, hub, scripts)",
    args: ["./protocol", "./controller", "./hub", "./relay", "./scripts", "./bench"],
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
