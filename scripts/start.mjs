// `npm start`: builds the simulator and serves a simulated dual-boiler machine on 127.0.0.1:7878
// speaking the real controller protocol. The hub and the app join this command as they land;
// until then it prints how to talk to the machine.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { must, root } from "./lib.mjs";

const sim = join(root, "build", "host", "brewos-sim");
console.log("building the controller simulator ...");
must("cmake", ["-S", "controller", "-B", "build/host", "-DCMAKE_BUILD_TYPE=RelWithDebInfo"], { echo: false });
must("cmake", ["--build", "build/host", "--target", "brewos-sim", "-j", "2"], { echo: false });
if (!existsSync(sim)) {
  console.error("brewos-sim did not build");
  process.exit(1);
}
const port = process.env.BREWOS_SIM_PORT ?? "7878";
const machine = process.env.BREWOS_MACHINE ?? "dual_boiler";
console.log(`simulated ${machine} on tcp://127.0.0.1:${port} (controller UART protocol, protocol/uart/SPEC.md)`);
console.log("the hub and the app are not built yet; Ctrl-C stops the machine");
const child = spawn(sim, ["serve", "--machine", machine, "--link", `tcp:${port}`], { stdio: "inherit" });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
