// `npm run size:display`: the machine display's UI built for a Cortex-M33 (LVGL 9.5, every screen,
// the fonts), linked with --gc-sections; prints its flash and RAM as JSON and exits 1 over budget.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { buildDisplay, root, run } from "./lib.mjs";

const FLASH_BUDGET_BYTES = 350 * 1024;
const dir = join("build", "display-m33");
const toolchain = join(root, "controller", "cmake", "arm-none-eabi.cmake");
const built = buildDisplay(dir, ["-DBREWOS_DISPLAY_MCU=ON", `-DCMAKE_TOOLCHAIN_FILE=${toolchain}`, "-DCMAKE_BUILD_TYPE=MinSizeRel"]);
const elf = join(root, dir, "brewos_display_m33_probe.elf");
if (built.status !== 0 || !existsSync(elf)) {
  process.stdout.write(built.out.split("\n").slice(-30).join("\n"));
  console.log(JSON.stringify({ target: "display UI, cortex-m33", ok: false, error: "build failed" }));
  process.exit(1);
}
const size = run("arm-none-eabi-size", ["-A", elf], { echo: false });
const section = (name) => Number(new RegExp(`^${name.replace(".", "\\.")}\\s+(\\d+)`, "m").exec(size.out)?.[1] ?? 0);
const fonts = run("arm-none-eabi-nm", ["-S", "-t", "d", elf], { echo: false })
  .out.split("\n")
  .filter((l) => /\b(glyph_bitmap|glyph_dsc|cmaps|kern_|unicode_list|lv_font_montserrat)/.test(l))
  .reduce((sum, l) => sum + Number(l.trim().split(/\s+/)[1] ?? 0), 0);
const flash = section(".text") + section(".rodata") + section(".data");
const report = {
  target: "display UI (LVGL 9.5, every screen, Montserrat 14/20/28/48), cortex-m33 softfp, MinSizeRel, --gc-sections",
  flash_bytes: flash,
  flash_budget_bytes: FLASH_BUDGET_BYTES,
  of_it_fonts_bytes: fonts,
  ram_bss_bytes: section(".bss"),
  ok: flash <= FLASH_BUDGET_BYTES,
};
console.log(JSON.stringify(report, null, 2));
process.exit(report.ok ? 0 : 1);
