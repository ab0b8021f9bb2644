/**
 * Test driver for the crash test: a hub-shaped process (real link, simulator, recorder, SQLite on
 * disk) that heats up, records one complete shot, then starts a long one and reports each
 * checkpoint on stdout so the test can kill -9 it mid-shot.
 * Usage: bun record-shots.ts DB_PATH SIM_BINARY
 */
import { MachineMode, MachineState } from "@brewos/protocol/uart";
import { ControllerLink } from "../../controller-link/controller-link.ts";
import { spawnedSimTransport } from "../../controller-link/transports/spawned-sim.ts";
import { openDatabase } from "../db.ts";
import { ShotRecorder } from "../shot-recorder.ts";
import { ShotStore } from "../shot-store.ts";

const [dbPath, sim] = process.argv.slice(2);
if (!dbPath || !sim) throw new Error("usage: record-shots.ts DB_PATH SIM_BINARY");
const SPEED = 20;
const store = new ShotStore(openDatabase(dbPath));
console.log(`INTERRUPTED ${store.markInterrupted()}`);
const recorder = new ShotRecorder({ store });
const link = new ControllerLink({
  open: spawnedSimTransport({ binary: sim, machine: "dual_boiler", speed: SPEED }),
  desired: () => ({ mode: MachineMode.brew, flags: 0, brew_setpoint_cdeg: 9300, steam_setpoint_cdeg: 12500, heating_strategy: 1 }),
  keepaliveMs: 200 / SPEED,
});
let ready = false;
link.onMessage((m) => {
  recorder.handle(m);
  if (m.type === "telemetry" && m.state === MachineState.ready) ready = true;
});
recorder.onRecorded((r) => console.log(`RECORDED ${r.id} ${r.sample_count}`));
link.start();
await link.whenUp(10000);
while (!ready) await Bun.sleep(20);
const shot = (token: number, stop_time_ms: number) =>
  link.command({
    type: "shot_start",
    shot_token: token,
    profile_slot: 0,
    flags: 0,
    dose_dg: 180,
    target_weight_dg: 0,
    stop_time_ms,
    stop_volume_ul: 0,
  });
await shot(1, 10000);
while (store.list(1)[0]?.status !== "complete") await Bun.sleep(20);
await Bun.sleep(3000); // recover between shots
await shot(2, 600000);
for (;;) {
  await Bun.sleep(100);
  const id = recorder.recordingId;
  const n = id ? (store.get(id)?.sample_count ?? 0) : 0;
  if (n > 0) console.log(`CHECKPOINT ${id} ${n}`);
}
