/**
 * Profiles through the hub on the real simulator: bundled and custom profiles uploaded in acked
 * chunks, bad ones refused with the reason, a shot run on a slot and recorded with its profile,
 * and the slot filled again after the controller restarts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hub } from "../hub.ts";
import { hubOnSim } from "../testing/hub-on-disk.ts";

const SPEED = 50;
let dir = "";
let hub: Hub;
let base = "";
let stop: () => Promise<void>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "brewos-profiles-"));
  // A dual boiler with a gear pump: pressure profiles need a pump the controller can modulate.
  const machine = join(dir, "gear-dual-boiler.json");
  writeFileSync(machine, JSON.stringify({ preset: "dual_boiler", pump: "gear" }));
  ({ hub, base, stop } = await hubOnSim(machine, { speed: SPEED }));
});
afterAll(async () => {
  await stop();
  rmSync(dir, { recursive: true, force: true });
});

const put = (slot: number | string, body: unknown) => fetch(`${base}/api/profiles/${slot}`, { method: "PUT", body: JSON.stringify(body) });
const command = (body: unknown) => fetch(`${base}/api/commands`, { method: "POST", body: JSON.stringify(body) });

describe("profiles through the hub", () => {
  test("upload, refuse bad ones, run a shot on the slot, restore after a controller restart", async () => {
    const list = (await (await fetch(`${base}/api/profiles`)).json()) as { bundled: { id: string }[] };
    expect(list.bundled.map((p) => p.id)).toContain("classic-9bar");
    expect(list.bundled).toHaveLength(8);

    const ok = await put(1, { bundled: "classic-9bar" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, slot: 1, profile: { id: "classic-9bar" } });
    expect((await put(9, { bundled: "classic-9bar" })).status).toBe(400);
    expect((await put(2, { bundled: "espresso-martini" })).status).toBe(404);
    const bad = await put(2, { profile: { id: "x", name: "no phases", phases: [] } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "invalid_profile" });

    expect((await command({ type: "start_shot", profile_slot: 1, dose_g: 18, stop_time_s: 45 })).status).toBe(200);
    const deadline = Date.now() + 20000;
    while (hub.shots.list(1)[0]?.status !== "complete" && Date.now() < deadline) await Bun.sleep(20);
    const shot = hub.shots.list(1)[0];
    expect(shot?.status).toBe("complete");
    expect(JSON.parse(shot?.profile_json ?? "{}")).toMatchObject({ id: "classic-9bar", name: "Classic 9 bar" });
    const phases = new Set(hub.shots.samples(shot?.id ?? "").map((s) => s.phase));
    expect(phases.size).toBeGreaterThanOrEqual(2); // it ran through the profile's phases

    // The controller restarts (a new simulator): the hub puts slot 1 back, so a shot on it is accepted.
    const pid = Number(hub.link.health().transport?.match(/pid (\d+)/)?.[1]);
    process.kill(pid, "SIGKILL");
    await Bun.sleep(300);
    await hub.link.whenUp(10000);
    await Bun.sleep(500); // the restore runs after the config push
    const again = await command({ type: "start_shot", profile_slot: 1, dose_g: 18, stop_time_s: 5 });
    expect(again.status).toBe(200);
  }, 60000);
});
