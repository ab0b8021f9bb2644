// `npm start`: builds the controller simulator if needed, then runs the hub on a simulated
// dual-boiler machine in real time, data in ./data, HTTP on PORT (default 8080), and prints the URL.
// Options after `--` go to the hub: `--speed 10`, `--sim single_boiler`, `--serial /dev/ttyAMA0`,
// `--tcp HOST:PORT`, `--data DIR`. The app (pwa/) is built first when pwa/dist is missing or older
// than its sources. `--display` (ours, not the hub's) also runs the machine display (display/)
// window-less: it draws what the hub says and writes the screen to DATA/display.png every second.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildDisplay, must, root } from "./lib.mjs";

const sim = join(root, "build", "host", "brewos-sim");
if (!existsSync(sim)) {
  console.log("building the controller simulator ...");
  must("cmake", ["-S", "controller", "-B", "build/host", "-DCMAKE_BUILD_TYPE=RelWithDebInfo"], { echo: false });
  must("cmake", ["--build", "build/host", "--target", "brewos-sim", "-j", "2"], { echo: false });
}
/** Newest modification time of the files under `dir` (ms). */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const built = join(root, "pwa", "dist", "index.html");
const sources = [join(root, "pwa", "src"), join(root, "public"), join(root, "pwa", "index.html"), join(root, "pwa", "vite.config.ts")];
const stale =
  !existsSync(built) || sources.some((s) => (statSync(s).isDirectory() ? newest(s) : statSync(s).mtimeMs) > statSync(built).mtimeMs);
if (stale) {
  console.log("building the app ...");
  must(join(root, "node_modules", ".bin", "vite"), ["build"], { echo: false, cwd: join(root, "pwa") });
}
const args = process.argv.slice(2);
const withDisplay = args.includes("--display");
if (withDisplay) args.splice(args.indexOf("--display"), 1);
if (!args.some((a) => a === "--sim" || a === "--serial" || a === "--tcp"))
  args.push("--sim", process.env.BREWOS_MACHINE ?? "dual_boiler_gear");
const bun = join(root, "node_modules", ".bin", "bun");
// The hub exits 75 when it asks to be started again (safe mode: after the owner chose a fresh database).
let child;
function startHub() {
  child = spawn(bun, [join(root, "hub", "src", "main.ts"), ...args], { stdio: "inherit", cwd: root });
  child.on("exit", (code) => (code === 75 ? startHub() : process.exit(code ?? 0)));
}
startHub();
let display;
if (withDisplay) {
  const binary = join(root, "build", "display", "brewos-display");
  if (!existsSync(binary)) {
    console.log("building the machine display (LVGL, about a minute) ...");
    const built = buildDisplay("build/display");
    if (built.status !== 0) {
      process.stdout.write(built.out);
      process.exit(1);
    }
  }
  const dataAt = args.indexOf("--data");
  const data = dataAt >= 0 ? args[dataAt + 1] : (process.env.BREWOS_DATA ?? join(root, "data"));
  const png = join(data, "display.png");
  display = spawn(binary, ["--socket", join(data, "display.sock"), "--headless", "--png", png], { stdio: ["ignore", "ignore", "inherit"] });
  console.log(`the machine display draws into ${png} (every second)`);
}
for (const sig of ["SIGINT", "SIGTERM"])
  process.on(sig, () => {
    display?.kill(sig);
    child.kill(sig);
  });
