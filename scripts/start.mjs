// `npm start`: builds the controller simulator if needed, then runs the hub on a simulated
// dual-boiler machine in real time, data in ./data, HTTP on PORT (default 8080), and prints the URL.
// Options after `--` go to the hub: `--speed 10`, `--sim single_boiler`, `--serial /dev/ttyAMA0`,
// `--tcp HOST:PORT`, `--data DIR`. The app (pwa/) joins this command when it is built.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { must, root } from "./lib.mjs";

const sim = join(root, "build", "host", "brewos-sim");
if (!existsSync(sim)) {
  console.log("building the controller simulator ...");
  must("cmake", ["-S", "controller", "-B", "build/host", "-DCMAKE_BUILD_TYPE=RelWithDebInfo"], { echo: false });
  must("cmake", ["--build", "build/host", "--target", "brewos-sim", "-j", "2"], { echo: false });
}
const args = process.argv.slice(2);
if (!args.some((a) => a === "--sim" || a === "--serial" || a === "--tcp")) args.push("--sim", process.env.BREWOS_MACHINE ?? "dual_boiler");
const bun = join(root, "node_modules", ".bin", "bun");
const child = spawn(bun, [join(root, "hub", "src", "main.ts"), ...args], { stdio: "inherit", cwd: root });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
