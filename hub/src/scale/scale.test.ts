/**
 * Brew-by-weight end to end with the virtual scale: the simulator's load cell → the Decent Scale
 * notifications and commands → the hub's driver → weight_sample frames → the controller's stop.
 * Real simulator (fast), real TCP streams, SQLite on disk.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer, type Socket } from "node:net";
import { DECENT_WEIGHT_CHAR, parseDecentNotification } from "@brewos/protocol/ble";
import { tcpTransport } from "../controller-link/transports/tcp.ts";
import type { Hub } from "../hub.ts";
import { hubOnSim } from "../testing/hub-on-disk.ts";
import { until } from "../testing/until.ts";
import { DecentScale, type ScaleReading } from "./decent-scale.ts";
import type { ScaleConnection } from "./scale-connection.ts";
import { virtualDecentScale } from "./virtual-decent-scale.ts";

const SPEED = 25;

describe("brew-by-weight through the virtual scale", () => {
  let hub: Hub;
  let base = "";
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ hub, base, stop } = await hubOnSim("dual_boiler", { speed: SPEED, scale: true }));
    await until("scale connected", () => hub.scale?.current !== null, 5000);
    await hub.control.run({ type: "set_mode", mode: "brew" });
    await until("ready", () => hub.model.snapshot().ready, 30000);
  }, 45000);
  afterAll(() => stop());

  test("a 36 g target stops on weight; the settled cup is within 1.5 g and teaches the controller", async () => {
    const settled = new Promise<{ token: number; grams: number }>((resolve) =>
      hub.scaleBridge?.onSettled((token, grams) => resolve({ token, grams })),
    );
    const recorded = new Promise<{ id: string; stop_reason: string | null; shot_token: number }>((resolve) =>
      hub.recorder.onRecorded((r) => resolve(r as never)),
    );
    const r = await hub.control.run({ type: "start_shot", profile_slot: 0, dose_g: 18, target_g: 36, require_scale: true });
    expect(r.ok).toBe(true);
    const shot = await recorded;
    expect(shot.stop_reason).toBe("weight");
    const s = await settled;
    expect(s.token).toBe(shot.shot_token);
    expect(Math.abs(s.grams - 36)).toBeLessThanOrEqual(1.5);
    expect(hub.shots.get(shot.id)?.settled_weight_g).toBe(s.grams); // the yield, kept with the shot
    // The record carries the scale's weight at telemetry rate, rising to the stop.
    const samples = hub.shots.samples(shot.id);
    const weights = samples.map((x) => x.weight_dg / 10);
    expect(weights[0]).toBeLessThan(1); // tared under the empty cup
    expect(Math.max(...weights)).toBeGreaterThan(30);
    expect(hub.model.snapshot()).toMatchObject({ scale_connected: true });
    // The app's Tare button: the cup with the shot in it reads zero after it.
    const tare = await fetch(`${base}/api/scale/tare`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(tare.status).toBe(200);
    await until("tared", () => Math.abs(hub.model.snapshot().weight_g ?? 99) < 0.5, 3000);
    const health = hub.scale?.health();
    expect(health?.connected).toBe(true);
    expect(health?.bad_notifications).toBe(0);
  }, 60000);

  test("a shot that requires the scale is refused without one, and a scale lost mid-shot ends weight stops for that shot", async () => {
    await until("cup settled", () => !hub.model.snapshot().brewing, 10000);
    const conn = hub.ownScale as ScaleConnection;
    await conn.stop();
    await until("no scale in the state", () => hub.model.snapshot().scale_connected === false, 2000);
    await Bun.sleep(2000 / SPEED + 100); // the last sample is stale for the controller
    const refused = await hub.control.run({ type: "start_shot", profile_slot: 0, target_g: 36, require_scale: true });
    expect(refused).toMatchObject({ ok: false, code: "rejected_state" });

    conn.start();
    await until("scale back", () => hub.model.snapshot().scale_connected, 5000);
    const recorded = new Promise<{ stop_reason: string | null; end_flags: string[] }>((resolve) =>
      hub.recorder.onRecorded((r) => resolve(r as never)),
    );
    expect((await hub.control.run({ type: "start_shot", profile_slot: 0, target_g: 200, stop_time_s: 35, require_scale: false })).ok).toBe(
      true,
    );
    await until("pouring", () => (hub.model.snapshot().weight_g ?? 0) > 5, 20000);
    await conn.stop(); // the scale's battery dies mid-shot
    const shot = await recorded;
    expect(shot.stop_reason).toBe("time"); // the time limit still ends it
    expect(shot.end_flags).toContain("weight_lost");
    conn.start();
  }, 60000);
});

describe("the virtual scale and the driver on their own", () => {
  test("readings at the scale's rate, tare acknowledged and applied", async () => {
    const h = await hubOnSim("dual_boiler", { speed: 10, scale: true });
    try {
      const conn = h.hub.ownScale as ScaleConnection;
      await until("scale connected", () => conn.current !== null, 5000);
      const got: ScaleReading[] = [];
      conn.onReading((r) => got.push(r));
      await Bun.sleep(1000); // 10 s of machine time
      // Decent at 10 Hz with 2 % drops: ~98 readings in 10 s of machine time.
      expect(got.length).toBeGreaterThan(85);
      expect(got.length).toBeLessThan(110);
      expect(await conn.current?.tare()).toBe(true);
    } finally {
      await h.stop();
    }
  }, 30000);

  test("garbage on the load-cell stream is counted and skipped; the scale keeps working", async () => {
    const sockets: Socket[] = [];
    const server = createServer((s) => {
      sockets.push(s);
      s.write("w 100 12.5\nnot a reading\n");
      s.write(`${"x".repeat(300)}`);
      s.write("\nw 200 12.6\n");
    });
    const port = await new Promise<number>((r) => server.listen(0, "127.0.0.1", () => r((server.address() as { port: number }).port)));
    const stats = { lines: 0, badLines: 0 };
    const notes: Uint8Array[] = [];
    const link = await virtualDecentScale(
      tcpTransport("127.0.0.1", port),
      stats,
    )({
      onNotify: (c, v) => c === DECENT_WEIGHT_CHAR && notes.push(v),
      onClose: () => {},
    });
    const driver = new DecentScale(link);
    const readings: ScaleReading[] = [];
    driver.onReading((r) => readings.push(r));
    await until("two readings", () => notes.length >= 2, 2000);
    for (const n of notes) driver.notify(DECENT_WEIGHT_CHAR, n);
    expect(readings.map((r) => r.grams)).toEqual([12.5, 12.6]);
    expect(stats.badLines).toBeGreaterThanOrEqual(2);
    // A corrupted notification (bit flip) is refused by the codec and counted, not read as weight.
    const bad = (notes[0] as Uint8Array).slice();
    bad[3] = (bad[3] ?? 0) ^ 0x10;
    expect(parseDecentNotification(bad).ok).toBe(false);
    driver.notify(DECENT_WEIGHT_CHAR, bad);
    expect(driver.badNotifications).toBe(1);
    expect(readings).toHaveLength(2);
    driver.stop();
    await link.close();
    for (const s of sockets) s.destroy();
    server.close();
  });
});
