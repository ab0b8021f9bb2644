/**
 * `npm run controller-release` refuses what the boot ROM or the hub would trip over: a version not
 * above the last release, a pico2 image that is not try-before-you-buy, or one whose embedded
 * version is not the one claimed. The pico2 cases run on the images `npm run firmware` built (CI
 * builds them before the tests); without that build they say so and skip.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PICOTOOL } from "../../../scripts/picotool-info.mjs";
import { SIM_BINARY } from "../testing/hub-on-disk.ts";
import { MANIFEST_FILE } from "./release.ts";

const root = join(import.meta.dir, "..", "..", "..");
const tool = join(import.meta.dir, "release-tool.ts");
const images = join(root, "build", "rp2350", "port", "rp2350");
const work = mkdtempSync(join(tmpdir(), "brewos-release-tool-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function release(...args: string[]): { status: number; text: string } {
  const r = spawnSync(process.execPath, [tool, ...args], { encoding: "utf8" });
  return { status: r.status ?? 1, text: `${r.stdout}${r.stderr}` };
}

const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, MANIFEST_FILE), "utf8"));

describe("simulator releases", () => {
  const out = join(work, "sim");
  const data = join(work, "data");
  const sim = (version: string, behaviour = "good") =>
    release("--sim", version, "--behaviour", behaviour, "--out", out, "--data", data, "--sim-binary", SIM_BINARY);

  test("a higher version each time; the same image signed again is fine", () => {
    expect(sim("0.2.0").status).toBe(0);
    expect(manifest(out).version).toBe("0.2.0");
    expect(sim("0.2.0").status).toBe(0);
    expect(sim("0.3.0").status).toBe(0);
    expect(manifest(out).version).toBe("0.3.0");
  });

  test("an older version, or another image under the same version, is refused and the last release kept", () => {
    const older = sim("0.2.5");
    expect(older.status).toBe(2);
    expect(older.text).toContain("not above the last sim release 0.3.0");
    const other = sim("0.3.0", "selftest-fails");
    expect(other.status).toBe(2);
    expect(manifest(out).version).toBe("0.3.0");
  });
});

const built = existsSync(join(images, "brewos_controller_update.bin")) && existsSync(PICOTOOL);
if (!built) console.log(`release-tool.test: no RP2350 build in ${images} (npm run firmware): pico2 cases skipped`);

describe.skipIf(!built)("pico2 releases from the real images", () => {
  const out = join(work, "pico2");
  const key = join(work, "release.key");
  const pico = (file: string, version: string) =>
    release("--image", join(images, file), "--version", version, "--board", "pico2", "--key", key, "--out", out);

  test("the try-before-you-buy image of the source's version is signed", () => {
    expect(release("--new-key", key).status).toBe(0);
    const r = pico("brewos_controller_update.bin", "0.1.0");
    expect(r.text).toContain("pico2 0.1.0");
    expect(r.status).toBe(0);
    expect(manifest(out)).toMatchObject({ board: "pico2", version: "0.1.0" });
  });

  test("the factory image (not on trial) is refused", () => {
    const r = pico("brewos_controller.bin", "0.1.0");
    expect(r.status).toBe(2);
    expect(r.text).toContain("not built try-before-you-buy");
  });

  test("a version the image does not carry is refused", () => {
    const r = pico("brewos_controller_update.bin", "0.2.0");
    expect(r.status).toBe(2);
    expect(r.text).toContain("carries version 0.1.0, not 0.2.0");
    expect(manifest(out).version).toBe("0.1.0");
  });
});
