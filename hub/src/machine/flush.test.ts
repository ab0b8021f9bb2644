/** A group flush on the real simulator: the pump runs for the asked time, and no shot is recorded or counted. */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Hub } from "../hub.ts";
import { hubOnSim } from "../testing/hub-on-disk.ts";

let hub: Hub;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ hub, stop } = await hubOnSim("dual_boiler_gear", { speed: 50 }));
  await hub.control.run({ type: "set_mode", mode: "brew" });
  const deadline = Date.now() + 30000;
  while (!hub.model.snapshot().ready && Date.now() < deadline) await Bun.sleep(20);
}, 40000);
afterAll(() => stop());

test("flush: the pump runs for its seconds and stops; history and statistics do not count it", async () => {
  expect(hub.model.snapshot().ready).toBe(true);
  const before = hub.statistics.summary().shots.total;
  const r = await hub.control.run({ type: "flush", seconds: 4 });
  expect(r.ok).toBe(true);
  let ran = false;
  let pumpedMl = 0;
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    const s = hub.model.snapshot();
    if (s.brewing) {
      ran = true;
      pumpedMl = Math.max(pumpedMl, s.shot_volume_ml);
    } else if (ran) break;
    await Bun.sleep(5);
  }
  expect(ran).toBe(true);
  expect(pumpedMl).toBeGreaterThan(5);
  await Bun.sleep(300);
  expect(hub.shots.list(5)).toHaveLength(0);
  expect(hub.statistics.summary().shots.total).toBe(before);
  // The API refuses a flush that would not stop soon.
  const { parseCommand } = await import("../api/commands.ts");
  expect(parseCommand({ type: "flush", seconds: 60 }).ok).toBe(false);
});
