/**
 * Autotune through the hub on the real simulator (fast): the command starts a relay test on the
 * brew boiler at its setpoint, the proposed gains arrive on /ws and at /api/autotune, and saving
 * them as settings sends them to the controller. Refused while a shot runs; bad input named.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ConfigKey } from "@brewos/protocol/uart";
import { parseCommand } from "../api/commands.ts";
import type { Hub } from "../hub.ts";
import { hubOnSim } from "../testing/hub-on-disk.ts";

let hub: Hub;
let base = "";
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ hub, base, stop } = await hubOnSim("dual_boiler", { speed: 100 }));
});
afterAll(() => stop());

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await Bun.sleep(20);
  }
}

test("a brew-boiler autotune proposes gains; they reach the apps and, once saved, the controller", async () => {
  expect(parseCommand({ type: "start_autotune", boiler: "group" }).ok).toBe(false);
  expect(parseCommand({ type: "start_autotune", boiler: "brew", amplitude_pct: 5 }).ok).toBe(false);
  await hub.control.run({ type: "set_mode", mode: "brew" });
  await until("ready", () => hub.model.snapshot().ready, 30000);

  const ws = new WebSocket(`${base.replace("http", "ws")}/ws`);
  const pushed: Record<string, unknown>[] = [];
  ws.addEventListener("message", (e) => {
    const m = JSON.parse(String(e.data)) as Record<string, unknown>;
    if (m.type === "autotune_result") pushed.push(m.result as Record<string, unknown>);
  });
  await new Promise((r) => ws.addEventListener("open", r));

  expect(await hub.control.run({ type: "start_autotune", boiler: "brew", amplitude_pct: 60 })).toEqual({ ok: true });
  // A second one while the first runs is refused with a reason.
  const again = await hub.control.run({ type: "start_autotune", boiler: "brew", amplitude_pct: 60 });
  expect(again).toMatchObject({ ok: false, code: "busy" });
  await until("autotune result", () => hub.autotune.view().brew !== null, 60000);
  const r = hub.autotune.view().brew;
  expect(r).toMatchObject({ boiler: "brew", status: "ok" });
  expect(r?.kp_milli).toBeGreaterThan(0);
  expect(r?.period_s).toBeGreaterThan(5);
  await until("pushed on /ws", () => pushed.length === 1, 2000);
  expect(pushed[0]).toMatchObject({ boiler: "brew", status: "ok", kp_milli: r?.kp_milli });
  expect(await (await fetch(`${base}/api/autotune`)).json()).toMatchObject({ brew: { kp_milli: r?.kp_milli }, steam: null });

  const save = await fetch(`${base}/api/settings`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ controller: { brew_kp_milli: r?.kp_milli, brew_ki_milli: r?.ki_milli, brew_kd_milli: r?.kd_milli } }),
  });
  expect(save.status).toBe(200);
  await until("controller has the gains", () => hub.link.config.get(ConfigKey.brew_kp_milli) === r?.kp_milli, 5000);
  ws.close();
}, 90000);
