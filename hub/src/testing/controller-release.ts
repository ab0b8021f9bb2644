/**
 * @module Controller releases for tests: simulator images made by the simulator's own tool
 * (`brewos-sim image`) and a release folder signed with a test key, as a hub release carries it.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keyPair } from "@brewos/protocol/auth";
import { MANIFEST_FILE, signRelease } from "../firmware/release.ts";
import { SIM_BINARY } from "./hub-on-disk.ts";

/** The key test releases are signed with; a hub under test trusts its public half. */
export const TEST_RELEASE_KEY = keyPair(new Uint8Array(32).fill(7));

/** A simulator image (24 KiB of body unless `--kib` is among `extra`). */
export function simImage(dir: string, version: string, ...extra: string[]): string {
  const out = join(dir, `sim-${version}-${extra.join("-") || "good"}.img`);
  const args = ["image", "--version", version, "--out", out, ...(extra.includes("--kib") ? [] : ["--kib", "24"]), ...extra];
  const r = spawnSync(SIM_BINARY, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`brewos-sim image: ${r.stderr}`);
  return out;
}

/** A signed release folder in a new temporary directory (the caller removes it). */
export function testRelease(version: string, o: { behaviour?: string; key?: Uint8Array; notes?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "brewos-fw-"));
  const img = simImage(dir, version, ...(o.behaviour ? ["--behaviour", o.behaviour] : []));
  const m = signRelease(new Uint8Array(readFileSync(img)), {
    board: "sim",
    version,
    notes: o.notes ?? `Release ${version}`,
    imageFile: img,
    secretKey: o.key ?? TEST_RELEASE_KEY.secretKey,
  });
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(m));
  return dir;
}
