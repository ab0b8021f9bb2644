/**
 * @module `npm run controller-release`: sign a controller image into a release folder a hub carries.
 *
 *   controller-release --image FILE --version X.Y.Z --board sim|pico2 --key FILE [--notes TEXT] [--out DIR]
 *   controller-release --sim X.Y.Z [--notes TEXT] [--behaviour good|selftest-fails|deaf] [--data DIR] [--out DIR]
 *
 * `--key FILE` holds a 32-byte Ed25519 seed in hex (made with `--new-key FILE`). `--sim` builds a
 * simulator image with `brewos-sim image` and signs it with the data folder's development key
 * (created on first use), which a hub trusts only for the simulated board.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { keyPair } from "@brewos/protocol/auth";
import { romView } from "../../../scripts/picotool-info.mjs";
import { MANIFEST_FILE, parseVersion, signRelease, versionText } from "./release.ts";
import { DEV_KEY_FILE } from "./release-keys.ts";

const root = join(import.meta.dir, "..", "..", "..");
const { values: a } = parseArgs({
  options: {
    image: { type: "string" },
    version: { type: "string" },
    board: { type: "string" },
    key: { type: "string" },
    notes: { type: "string", default: "" },
    out: { type: "string", default: join(root, "build", "controller-release") },
    sim: { type: "string" },
    behaviour: { type: "string", default: "good" },
    data: { type: "string", default: process.env.BREWOS_DATA ?? join(root, "data") },
    "new-key": { type: "string" },
    "sim-binary": { type: "string", default: join(root, "build", "host", "brewos-sim") },
  },
});

function fail(text: string): never {
  console.error(`controller-release: ${text}`);
  process.exit(2);
}

/** Read a seed file, or make one (mode 0600) when `create` is set. */
function seedFrom(file: string, create: boolean): Uint8Array {
  if (!existsSync(file)) {
    if (!create) fail(`no key file ${file} (make one with --new-key ${file})`);
    writeFileSync(file, `${Buffer.from(keyPair().secretKey).toString("hex")}\n`, { mode: 0o600 });
  }
  const hex = readFileSync(file, "utf8").trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) fail(`${file} must hold 64 hex digits (a 32-byte Ed25519 seed)`);
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

if (a["new-key"]) {
  if (existsSync(a["new-key"])) fail(`${a["new-key"]} exists; not overwriting a key`);
  const seed = seedFrom(a["new-key"], true);
  console.log(`public key: ${Buffer.from(keyPair(seed).publicKey).toString("hex")}`);
  process.exit(0);
}

let image = a.image;
let version = a.version;
let board = a.board;
let seed: Uint8Array;
const out = a.out as string;
mkdirSync(out, { recursive: true });
if (a.sim) {
  version = a.sim;
  board = "sim";
  image = join(out, `brewos-controller-sim-${version}.img`);
  const r = spawnSync(a["sim-binary"] as string, ["image", "--version", version, "--out", image, "--behaviour", a.behaviour as string], {
    stdio: "inherit",
  });
  if (r.status !== 0) fail("brewos-sim image failed (build the simulator first: npm test builds it)");
  mkdirSync(a.data as string, { recursive: true, mode: 0o700 });
  seed = seedFrom(join(a.data as string, DEV_KEY_FILE), true);
} else {
  if (!a.key) fail("--key FILE is needed (or --sim X.Y.Z for a simulator release)");
  seed = seedFrom(a.key, false);
}
if (!image || !existsSync(image)) fail(`--image: no file ${image ?? "(none)"}`);
if (!version || parseVersion(version) === null) fail(`--version must be X.Y.Z, not ${version}`);
if (board !== "sim" && board !== "pico2") fail(`--board is sim or pico2, not ${board}`);
const bytes = new Uint8Array(readFileSync(image));
const wanted = parseVersion(version) as number;
if (board === "pico2") {
  // What the boot ROM will see: a try-before-you-buy image of exactly this version.
  const rom = romView(image);
  if (rom === null) fail(`${image}: no RP2350 image in it, or no picotool (npm run firmware builds both)`);
  if (!rom.try_before_you_buy)
    fail(`${image} is not built try-before-you-buy: a release carries brewos_controller_update.bin, not the factory image`);
  if (rom.fw_version !== wanted)
    fail(
      `${image} carries version ${rom.fw_version === null ? "none" : versionText(rom.fw_version)}, not ${version} (set CONTROLLER_FW_* in controller/core/app/controller.h and rebuild)`,
    );
}
// Every release above the last one in this folder: the boot ROM boots the higher of two versions,
// and the hub refuses to offer an older one. Signing the same image again is fine.
const previousFile = join(out, MANIFEST_FILE);
if (existsSync(previousFile)) {
  const previous = JSON.parse(readFileSync(previousFile, "utf8")) as { board?: string; version?: string; sha256?: string };
  const last = parseVersion(previous.version ?? "");
  const sha = createHash("sha256").update(bytes).digest("hex");
  if (previous.board === board && last !== null && wanted <= last && !(wanted === last && previous.sha256 === sha))
    fail(
      `version ${version} is not above the last ${board} release ${previous.version} in ${out}: bump CONTROLLER_FW_* in controller/core/app/controller.h`,
    );
}
const target = join(out, basename(image));
if (target !== image) copyFileSync(image, target);
const manifest = signRelease(bytes, { board, version, notes: a.notes as string, imageFile: target, secretKey: seed });
writeFileSync(join(out, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`${join(out, MANIFEST_FILE)}: ${board} ${version}, ${bytes.length} B, sha256 ${manifest.sha256}`);
