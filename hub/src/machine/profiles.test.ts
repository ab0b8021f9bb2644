/**
 * Profiles through the hub on the real simulator: bundled and custom profiles uploaded in acked
 * chunks, bad ones refused with the reason, a shot run on a slot and recorded with its profile,
 * and the slot filled again after the controller restarts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MachineState } from "@brewos/protocol/uart";
import type { Hub } from "../hub.ts";
import { hubOnSim } from "../testing/hub-on-disk.ts";

const SPEED = 50;
let dir = "";
let hub: Hub;
let base = "";
let stop: () => Promise<void>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "brewos-profiles-"));
  // `npm start`'s demo machine: a dual boiler with a gear pump, which the controller can modulate.
  ({ hub, base, stop } = await hubOnSim("dual_boiler_gear", { speed: SPEED }));
});
afterAll(async () => {
  await stop();
  rmSync(dir, { recursive: true, force: true });
});

const put = (slot: number | string, body: unknown) =>
  fetch(`${base}/api/profiles/${slot}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const command = (body: unknown) =>
  fetch(`${base}/api/commands`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("profiles through the hub", () => {
  test("upload, refuse bad ones, run a shot on the slot, restore after a controller restart", async () => {
    const list = (await (await fetch(`${base}/api/profiles`)).json()) as { bundled: { id: string }[] };
    expect(list.bundled.map((p) => p.id)).toContain("classic-9bar");
    expect(list.bundled).toHaveLength(8);
    const machine = hub.model.snapshot().machine;
    expect(machine).toMatchObject({ type: "dual_boiler", pump: "gear" });
    expect(machine?.capabilities).toContain("group_sensor");

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
    const restores = hub.profiles.restores;
    // The new controller answers not_ready until its sensors are primed: wait for its telemetry to leave init.
    let primed = false;
    const unwatch = hub.link.onMessage((m) => {
      if (m.type === "telemetry" && m.state !== MachineState.init && hub.profiles.restores > restores) primed = true;
    });
    process.kill(pid, "SIGKILL");
    const until = Date.now() + 15000; // the restore runs after the reconnect and the config push
    while (hub.profiles.restores === restores && Date.now() < until) await Bun.sleep(20);
    expect(hub.profiles.restores).toBe(restores + 1);
    while (!primed && Date.now() < until) await Bun.sleep(20);
    unwatch();
    const again = await command({ type: "start_shot", profile_slot: 1, dose_g: 18, stop_time_s: 5 });
    expect({ status: again.status, body: await again.json() }).toMatchObject({ status: 200 });
  }, 60000);

  test("people's own profiles: saved in the library, validated, loaded into a slot, kept across a hub restart", async () => {
    const mine = {
      id: "my-ramp",
      name: "My ramp",
      phases: [
        { name: "fill", mode: "flow", from: null, to: 4, curve: "instant", over_s: 0, exit: { time_s: 8, pressure_above_bar: 3 } },
        { name: "ramp", mode: "pressure", from: null, to: 9, curve: "linear", over_s: 4, exit: { time_s: 30 } },
      ],
    };
    const lib = (id: string, body: unknown, method = "PUT") =>
      fetch(`${base}/api/profiles/library/${id}`, {
        method,
        headers: { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect((await lib("my-ramp", mine)).status).toBe(200);
    const listed = (await (await fetch(`${base}/api/profiles`)).json()) as { custom: { id: string }[] };
    expect(listed.custom.map((p) => p.id)).toEqual(["my-ramp"]);
    expect((await lib("other-id", mine)).status).toBe(400); // the address and the profile disagree
    expect((await lib("classic-9bar", { ...mine, id: "classic-9bar" })).status).toBe(409); // bundled ids are taken
    const bad = await lib("my-ramp", { ...mine, phases: [{ ...mine.phases[0], to: 99 }] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain("to");
    expect((await lib("my-ramp", "{not json")).status).toBe(400);
    expect((await put(3, { custom: "my-ramp" })).status).toBe(200);
    expect((await put(4, { custom: "nobody" })).status).toBe(404);

    // A new hub on the same data folder: the library and the slot are still there, and slot 3 is
    // uploaded to the controller again (a shot on it is accepted).
    const dataDir = mkdtempSync(join(tmpdir(), "brewos-profiles-restart-"));
    const a = await hubOnSim("dual_boiler_gear", { speed: SPEED, dataDir });
    const up = async (b: string, body: unknown) =>
      fetch(`${b}/api/profiles/library/my-ramp`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await up(a.base, mine)).status).toBe(200);
    expect(
      (
        await fetch(`${a.base}/api/profiles/5`, {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ custom: "my-ramp" }),
        })
      ).status,
    ).toBe(200);
    await a.stop();
    const b = await hubOnSim("dual_boiler_gear", { speed: SPEED, dataDir });
    try {
      const after = (await (await fetch(`${b.base}/api/profiles`)).json()) as {
        custom: { id: string }[];
        slots: Record<string, { id: string }>;
      };
      expect(after.custom.map((p) => p.id)).toEqual(["my-ramp"]);
      expect(after.slots["5"]?.id).toBe("my-ramp");
      const until = Date.now() + 15000; // the restore runs after the config push
      while (b.hub.profiles.restores === 0 && Date.now() < until) await Bun.sleep(20);
      expect(b.hub.profiles.restores).toBe(1);
      await b.hub.control.run({ type: "set_mode", mode: "brew" });
      const deadline = Date.now() + 20000;
      while (!b.hub.model.snapshot().ready && Date.now() < deadline) await Bun.sleep(20);
      const r = await b.hub.control.run({ type: "start_shot", profile_slot: 5, require_scale: false, stop_time_s: 5 });
      expect(r).toMatchObject({ ok: true });
      expect((await lib("my-ramp", undefined, "DELETE")).status).toBe(200);
      expect((await lib("my-ramp", undefined, "DELETE")).status).toBe(404);
    } finally {
      await b.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90000);
});
