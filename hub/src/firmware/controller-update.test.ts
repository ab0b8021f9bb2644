/**
 * Updating the controller end to end: the hub on the simulator (a real process over a pipe) with
 * its A/B image flash on disk, releases signed with a test key and made by `brewos-sim image`,
 * driven through the REST API as the app does.
 */
import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keyPair } from "@brewos/protocol/auth";
import { TelemetryFlags, type UartMessage } from "@brewos/protocol/uart";
import { tcpTransport } from "../controller-link/transports/tcp.ts";
import { simImage, TEST_RELEASE_KEY, testRelease } from "../testing/controller-release.ts";
import { hubOnSim, hubOnTransport, SIM_BINARY } from "../testing/hub-on-disk.ts";
import { until } from "../testing/until.ts";
import type { FirmwareView } from "./controller-updater.ts";
import { MANIFEST_FILE } from "./release.ts";

const SPEED = 10;
const releaseKey = TEST_RELEASE_KEY;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "brewos-fw-"));
  cleanup.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** A signed release folder, removed after the test. */
function release(version: string, o: Parameters<typeof testRelease>[1] = {}): string {
  const dir = testRelease(version, o);
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function hubWith(releaseDir: string, o: { flash?: string; simArgs?: () => string[]; waitUp?: boolean; extraArgs?: string[] } = {}) {
  const flash = o.flash ?? join(tempDir(), "flash.bin");
  const h = await hubOnSim("dual_boiler", {
    speed: SPEED,
    ...(process.env.FW_LOG ? { log: (l: string, t: string) => console.log(l, t) } : {}),
    simArgs: o.simArgs ?? (() => ["--flash", flash, ...(o.extraArgs ?? [])]),
    controllerRelease: { dir: releaseDir, keys: [releaseKey.publicKey], board: "sim" },
    ...(o.waitUp === false ? { waitUp: false } : {}),
  });
  cleanup.push(h.stop);
  const get = async () => (await (await fetch(`${h.base}/api/controller/firmware`)).json()) as FirmwareView;
  const post = (what: "update" | "abort") =>
    fetch(`${h.base}/api/controller/firmware/${what}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
  return { ...h, flash, get, post };
}

async function outcome(get: () => Promise<FirmwareView>, ms = 40000): Promise<FirmwareView> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v.update.phase === "idle" && v.last && v.last.at > 0) return v;
    if (Date.now() > deadline) throw new Error(`no outcome: ${JSON.stringify(v)}`);
    await Bun.sleep(50);
  }
}

test("an update is offered, sent, boots on trial and confirms itself; no heat from offer to confirmation", async () => {
  const h = await hubWith(release("0.2.0", { notes: "Steadier steam." }));
  const before = await h.get();
  expect(before.running).toEqual({ version: "0.1.0", proto_major: 1, boot: "confirmed" });
  expect(before.available).toEqual({ version: "0.2.0", notes: "Steadier steam.", newer: true, size: 64 + 24 * 1024 });
  await h.hub.control.run({ type: "set_mode", mode: "brew" });
  await until("heating", () => (h.hub.model.snapshot().brew_heater_pct ?? 0) > 0, 10000);
  let heatWhileUpdating = 0;
  const phases = new Set<string>();
  h.hub.firmware.onChange((v) => phases.add(v.update.phase));
  h.hub.link.onMessage((m: UartMessage) => {
    if (m.type !== "telemetry") return;
    const p = h.hub.firmware.view().update.phase;
    if (p !== "idle" && p !== "sending" && (m.flags & TelemetryFlags.brew_heater_on) !== 0) heatWhileUpdating++;
  });
  const started = Date.now();
  const res = await h.post("update");
  expect(res.status).toBe(202);
  expect((await h.post("update")).status).toBe(409); // one at a time
  const v = await outcome(h.get);
  expect(v.last).toMatchObject({ outcome: "confirmed", version: "0.2.0", code: "confirmed" });
  expect(v.running).toEqual({ version: "0.2.0", proto_major: 1, boot: "confirmed" });
  expect([...phases]).toEqual(expect.arrayContaining(["sending", "verifying", "rebooting", "confirming", "idle"]));
  expect(heatWhileUpdating).toBe(0);
  expect(h.hub.link.health().state).toBe("up");
  console.log(`update 0.1.0 -> 0.2.0 (${v.available?.size} B) confirmed in ${Date.now() - started} ms at ${SPEED}x`);
  expect((await h.post("update")).status).toBe(409); // nothing newer now
}, 60000);

test("an image that fails its self-test is rolled back and the hub says so, also after a restart", async () => {
  const rel = release("0.3.0", { behaviour: "selftest-fails" });
  const h = await hubWith(rel);
  expect((await h.post("update")).status).toBe(202);
  const v = await outcome(h.get);
  expect(v.last).toMatchObject({ outcome: "rolled_back", version: "0.3.0", code: "selftest_failed" });
  expect(v.last?.message).toContain("self-test");
  expect(v.running).toEqual({ version: "0.1.0", proto_major: 1, boot: "rolled_back" });
  await h.stop();
  cleanup.pop();
  const again = await hubWith(rel, { flash: h.flash });
  const w = await again.get();
  expect(w.running?.version).toBe("0.1.0");
  expect(w.last).toMatchObject({ outcome: "rolled_back", version: "0.3.0" });
}, 60000);

test("a bad signature, a damaged image or another key are refused before anything is sent", async () => {
  const other = keyPair(new Uint8Array(32).fill(9));
  const foreign = release("0.2.0", { key: other.secretKey });
  const h = await hubWith(foreign);
  const v = await h.get();
  expect(v.available).toBeNull();
  expect(v.release_problem?.code).toBe("bad_signature");
  const r = await h.post("update");
  expect(r.status).toBe(409);
  expect(((await r.json()) as { error: { code: string } }).error.code).toBe("bad_signature");
  const damaged = release("0.2.0");
  const manifest = JSON.parse(readFileSync(join(damaged, MANIFEST_FILE), "utf8"));
  const img = join(damaged, manifest.image);
  const bytes = readFileSync(img);
  bytes[5000] = (bytes[5000] ?? 0) ^ 1;
  writeFileSync(img, bytes);
  const h2 = await hubWith(damaged);
  expect((await h2.get()).release_problem?.code).toBe("damaged");
  manifest.version = "0.9.0"; // a manifest edited after signing
  writeFileSync(join(damaged, MANIFEST_FILE), JSON.stringify(manifest));
  await Bun.sleep(20);
  expect((await h2.get()).release_problem?.code).toBe("bad_signature");
  expect(h2.hub.firmware.view().running?.version).toBe("0.1.0");
}, 60000);

test("a power cut in the middle of the transfer: the old image boots and the update goes through on the next try", async () => {
  const flash = join(tempDir(), "flash.bin");
  let starts = 0;
  const h = await hubWith(release("0.2.0"), {
    flash,
    simArgs: () => (++starts === 1 ? ["--flash", flash, "--power-cut-after", "9000"] : ["--flash", flash]),
  });
  expect((await h.post("update")).status).toBe(202);
  const v = await outcome(h.get);
  expect(starts).toBeGreaterThanOrEqual(2);
  expect(v.last).toMatchObject({ outcome: "confirmed", version: "0.2.0" });
  expect(h.hub.link.health().controller_resets + h.hub.link.health().reconnects).toBeGreaterThan(0);
}, 60000);

test("an incompatible controller gets no heat, the hub says why and offers the update that fixes it", async () => {
  const dir = tempDir();
  const flash = join(dir, "flash.bin");
  // A board flashed at the factory with firmware that speaks protocol 2 (slot A), slot B empty.
  const old = readFileSync(simImage(dir, "0.0.5", "--proto", "2", "--as", "factory"));
  const f = Buffer.alloc(2 * 256 * 1024, 0xff);
  old.copy(f, 0);
  writeFileSync(flash, f);
  const peaks = join(dir, "peaks.json");
  const h = await hubWith(release("0.2.0"), { flash, waitUp: false, extraArgs: ["--peaks", peaks] });
  await until("a version mismatch", () => h.hub.link.health().state === "version_mismatch", 10000);
  await h.hub.control.run({ type: "set_mode", mode: "brew" }).catch(() => undefined);
  await Bun.sleep(2000); // 20 s of machine time asked to brew: the water stays cold
  const water = JSON.parse(readFileSync(peaks, "utf8")) as { brew_true_peak_c: number };
  expect(water.brew_true_peak_c).toBeLessThan(24);
  const v = await h.get();
  expect(v.compatible).toBe(false);
  expect(v.link_problem).toContain("protocol 2");
  expect(v.running).toMatchObject({ version: "0.0.5", proto_major: 2 });
  expect(v.available).toMatchObject({ version: "0.2.0", newer: true });
  expect((await h.post("update")).status).toBe(202);
  const done = await outcome(h.get);
  expect(done.last).toMatchObject({ outcome: "confirmed", version: "0.2.0" });
  await until("the link up", () => h.hub.link.health().state === "up", 10000);
  expect((await h.get()).compatible).toBe(true);
  await h.hub.control.run({ type: "set_mode", mode: "brew" });
  await until("heating once compatible", () => (h.hub.model.snapshot().brew_heater_pct ?? 0) > 0, 10000);
}, 60000);

test("a hub restarted in the middle of the transfer resumes where the controller is", async () => {
  const flash = join(tempDir(), "flash.bin");
  const sim = Bun.spawn([SIM_BINARY, "serve", "--machine", "dual_boiler", "--link", "tcp:0", "--speed", String(SPEED), "--flash", flash], {
    stdout: "pipe",
    stderr: "ignore",
  });
  cleanup.push(() => sim.kill());
  const first = await sim.stdout.getReader().read();
  const port = Number(/tcp 127\.0\.0\.1:(\d+)/.exec(new TextDecoder().decode(first.value))?.[1]);
  const rel = release("0.2.0");
  const logs: string[] = [];
  const start = async () => {
    const h = await hubOnTransport(tcpTransport("127.0.0.1", port), {
      speed: SPEED,
      controllerRelease: { dir: rel, keys: [releaseKey.publicKey], board: "sim" },
      log: (_l, t) => logs.push(t),
    });
    await h.hub.link.whenUp(10000);
    return h;
  };
  const a = await start();
  expect(a.hub.firmware.start()).toEqual({ ok: true });
  await until("a third sent", () => a.hub.firmware.view().update.sent_bytes > 8000, 10000);
  await a.stop();
  const b = await start();
  cleanup.push(b.stop);
  await until("an outcome", () => b.hub.firmware.view().last?.at, 30000);
  expect(b.hub.firmware.view().last).toMatchObject({ outcome: "confirmed", version: "0.2.0" });
  const resumed = logs.map((l) => /interrupted at (\d+) B: resuming/.exec(l)).find(Boolean);
  expect(Number(resumed?.[1])).toBeGreaterThan(8000);
}, 60000);
