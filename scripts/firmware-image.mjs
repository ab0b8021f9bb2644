// `npm run firmware`: the real RP2350 image, offline, from the pinned vendor archives
// (BREWOS_VENDOR_DIR, default ../shared/vendor: pico-sdk 2.2.0 and picotool 2.2.0, checksums
// checked against its SHA256SUMS), unpacked and built under build/ — picotool without libusb,
// then the controller for PICO_BOARD=pico2. Prints one JSON object: the image's flash and RAM by
// section, against budgets; exits 1 over a budget. Exits 3 (nothing built) without the vendor
// folder, so CI can say it skipped. On a machine with internet the same CMake can fetch the pinned
// SDK instead (README: -DBREWOS_FETCH_PICO_SDK=ON).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { must, root } from "./lib.mjs";
import { picotoolInfo, romView } from "./picotool-info.mjs";

/** Budgets: the image today is ~62 KB of flash and ~35 KB of RAM; these leave room, and catch a jump. */
export const FLASH_BUDGET_BYTES = 96 * 1024;
export const RAM_BUDGET_BYTES = 48 * 1024;
const PICO_SDK = "pico-sdk-2.2.0";
const PICOTOOL = "picotool-2.2.0";

const vendorSetting = process.env.BREWOS_VENDOR_DIR ?? join("..", "shared", "vendor");
const vendor = isAbsolute(vendorSetting) ? vendorSetting : join(root, vendorSetting);
if (!existsSync(join(vendor, "SHA256SUMS"))) {
  console.log(JSON.stringify({ target: "rp2350 (pico2)", skipped: `no vendor sources at ${vendor} (set BREWOS_VENDOR_DIR)` }));
  process.exit(3);
}

// Unpack once, after checking every archive against the vendor folder's checksums.
const out = join(root, "build", "vendor");
mkdirSync(out, { recursive: true });
const sums = new Map(
  readFileSync(join(vendor, "SHA256SUMS"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const [hash, name] = l.trim().split(/\s+\*?/);
      return [name, hash];
    }),
);
for (const name of [PICO_SDK, PICOTOOL]) {
  const file = `${name}.tar.gz`;
  const bytes = readFileSync(join(vendor, file));
  const hash = createHash("sha256").update(bytes).digest("hex");
  if (sums.get(file) !== hash) {
    console.error(`firmware: ${file} does not match SHA256SUMS (${hash})`);
    process.exit(1);
  }
  if (!existsSync(join(out, name))) must("tar", ["-xzf", join(vendor, file), "-C", out], { echo: false });
}
const sdk = join(out, PICO_SDK);

// picotool writes the .uf2; the SDK would clone it from GitHub if none is installed.
const tools = join(out, "tools");
if (!existsSync(join(tools, "picotool", "picotool"))) {
  const b = join(out, "picotool-build");
  must(
    "cmake",
    [
      "-S",
      join(out, PICOTOOL),
      "-B",
      b,
      "-DCMAKE_BUILD_TYPE=Release",
      "-DPICOTOOL_FLAT_INSTALL=1",
      "-DPICOTOOL_NO_LIBUSB=1",
      `-DPICO_SDK_PATH=${sdk}`,
      `-DCMAKE_INSTALL_PREFIX=${tools}`,
    ],
    { echo: false },
  );
  must("cmake", ["--build", b, "-j", "2"], { echo: false });
  must("cmake", ["--install", b], { echo: false });
}

const build = join(root, "build", "rp2350");
must(
  "cmake",
  [
    "-S",
    join(root, "controller"),
    "-B",
    build,
    "-DBREWOS_TARGET=rp2350",
    "-DPICO_BOARD=pico2",
    `-DPICO_SDK_PATH=${sdk}`,
    `-Dpicotool_DIR=${join(tools, "picotool")}`,
    "-DBREWOS_TESTS=OFF",
  ],
  { echo: false },
);
must("cmake", ["--build", build, "-j", "2"], { echo: false });

const image = join(build, "port", "rp2350", "brewos_controller");
const sections = new Map(
  must("arm-none-eabi-size", ["-A", `${image}.elf`], { echo: false })
    .out.split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 3 && /^\./.test(f[0] ?? ""))
    .map(([name, size]) => [name, Number(size)]),
);
const s = (n) => sections.get(n) ?? 0;
const flash = statSync(`${image}.bin`).size;
const ram =
  s(".ram_vector_table") + s(".data") + s(".bss") + s(".heap") + s(".stack_dummy") + s(".stack1_dummy") + s(".scratch_x") + s(".scratch_y");
const info = picotoolInfo(`${image}.uf2`) ?? "";
const table = picotoolInfo(join(build, "port", "rp2350", "partition_table.uf2")) ?? "";
const report = {
  target: "rp2350 (pico2, rp2350-arm-s, pico-sdk 2.2.0)",
  flash_bytes: flash,
  flash_budget_bytes: FLASH_BUDGET_BYTES,
  ram_bytes: ram,
  ram_budget_bytes: RAM_BUDGET_BYTES,
  uf2_bytes: statSync(`${image}.uf2`).size,
  sections: {
    text: s(".text"),
    rodata: s(".rodata"),
    data: s(".data"),
    bss: s(".bss"),
    heap: s(".heap"),
    stacks: s(".stack_dummy") + s(".stack1_dummy"),
  },
  picotool: {
    target_chip: /target chip:\s+(\S+)/.exec(info)?.[1] ?? null,
    image_type: /image type:\s+(.+)/.exec(info)?.[1]?.trim() ?? null,
  },
  images: { factory: romView(`${image}.bin`) ?? {}, release: romView(`${image}_update.bin`) ?? {} },
  partitions: [...table.matchAll(/partition (\d) \(([^)]*)\):\s+([0-9a-f]{8})->([0-9a-f]{8})/g)].slice(0, 2).map((m) => ({
    index: Number(m[1]),
    role: m[2],
    start: Number.parseInt(m[3], 16),
    bytes: Number.parseInt(m[4], 16) - Number.parseInt(m[3], 16),
  })),
};
// What an update relies on: the release image boots on trial, the factory image does not, both carry
// the same version, and two slots that each hold the release image.
const { factory, release } = report.images;
const updates = {
  release_on_trial: release.try_before_you_buy && !factory.try_before_you_buy,
  same_version: Boolean(factory.rom_version) && factory.rom_version === release.rom_version,
  a_b_slots_fit: report.partitions.length === 2 && report.partitions.every((p) => p.bytes >= release.bytes),
};
report.updates = updates;
report.ok = flash <= FLASH_BUDGET_BYTES && ram <= RAM_BUDGET_BYTES && Object.values(updates).every(Boolean);
console.log(JSON.stringify(report));
if (!report.ok) {
  console.error(
    `firmware: over budget or not updatable (flash ${flash}/${FLASH_BUDGET_BYTES} B, RAM ${ram}/${RAM_BUDGET_BYTES} B, ${JSON.stringify(updates)})`,
  );
  process.exit(1);
}
