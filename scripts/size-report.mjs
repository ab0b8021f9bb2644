// `npm run size`: builds the portable core for Cortex-M33 (arm-none-eabi-gcc, -Werror) and prints
// a JSON report of flash (text+data), RAM (data+bss) and the largest stack frame (-fstack-usage).
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { must, root } from "./lib.mjs";

const dir = join(root, "build", "m33");
must(
  "cmake",
  ["-S", "controller", "-B", dir, `-DCMAKE_TOOLCHAIN_FILE=${join(root, "controller/cmake/arm-none-eabi.cmake")}`, "-DBREWOS_TESTS=OFF"],
  { echo: false },
);
must("cmake", ["--build", dir, "--target", "brewos_core", "-j", "2"], { echo: false });
const size = must("arm-none-eabi-size", ["-t", join(dir, "libbrewos_core.a")], { echo: false }).out;
const total =
  size
    .split("\n")
    .find((l) => l.includes("(TOTALS)"))
    ?.trim()
    .split(/\s+/)
    .map(Number) ?? [];
const [text, data, bss] = total;

function walk(d, out = []) {
  for (const name of readdirSync(d)) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith(".su")) out.push(p);
  }
  return out;
}
// RAM the port allocates for the controller's state: sizeof(controller_t) as the M33 compiler sees it.
const probe = join(dir, "controller-size.c");
writeFileSync(probe, '#include "app/controller.h"\nchar controller_state_bytes[sizeof(controller_t)];\n');
must(
  "arm-none-eabi-gcc",
  [
    "-mcpu=cortex-m33",
    "-mthumb",
    "-mfloat-abi=softfp",
    "-std=c11",
    "-c",
    `-I${join(root, "controller/core")}`,
    `-I${join(root, "controller")}`,
    probe,
    "-o",
    join(dir, "controller-size.o"),
  ],
  { echo: false },
);
const nm = must("arm-none-eabi-nm", ["-S", join(dir, "controller-size.o")], { echo: false }).out;
const stateBytes = Number.parseInt(
  nm
    .split("\n")
    .find((l) => l.includes("controller_state_bytes"))
    ?.split(/\s+/)[1] ?? "0",
  16,
);

const frames = walk(dir)
  .flatMap((f) => readFileSync(f, "utf8").split("\n").filter(Boolean))
  .map((l) => {
    const [where, bytes, kind] = l.split("\t");
    return { fn: where.split(":").at(-1), file: where.split(":")[0].split("/").at(-1), bytes: Number(bytes), kind };
  })
  .sort((a, b) => b.bytes - a.bytes);
console.log(
  JSON.stringify({
    target: "cortex-m33 (arm-none-eabi-gcc -Os, -Wall -Wextra -Werror)",
    flash_bytes: text + data,
    ram_bytes: data + bss + stateBytes,
    controller_state_bytes: stateBytes,
    text_bytes: text,
    data_bytes: data,
    bss_bytes: bss,
    largest_stack_frames: frames.slice(0, 5),
    dynamic_stack_frames: frames.filter((f) => f.kind !== "static").map((f) => f.fn),
  }),
);
