/**
 * A Bluetooth scale end to end with no radio: a fake org.bluez on a private dbus-daemon (started by
 * the test) carries the simulator's virtual Decent Scale; the hub's BlueZ transport and the shared
 * connection manager reach it exactly as they would a real scale through bluetoothd — scan, pair,
 * connect, notifications over D-Bus, commands written back — and brew-by-weight runs on it. Then the
 * scale is switched off mid-shot: the controller falls back, and the scale reconnects by itself.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Hub } from "../hub.ts";
import { FakeBluez, privateBus } from "../testing/fake-bluez.ts";
import { hubOnSimWithScaleSource } from "../testing/hub-on-disk.ts";
import { until } from "../testing/until.ts";
import { bluezTransport } from "./bluez-transport.ts";
import type { GattConnector } from "./gatt-link.ts";
import { ManagedScale } from "./managed-scale.ts";

const SPEED = 25;

describe("a Bluetooth scale through BlueZ (fake org.bluez on a private D-Bus)", () => {
  let bus: Awaited<ReturnType<typeof privateBus>>;
  let bluez: FakeBluez;
  let transport: ReturnType<typeof bluezTransport>;
  let scale: ManagedScale;
  let hub: Hub;
  let stop: () => Promise<void>;
  let base = "";
  let path = "";
  let neighbourConnects = 0;

  beforeAll(async () => {
    bus = await privateBus();
    bluez = await FakeBluez.start(bus.address);
    transport = bluezTransport({ busAddress: bus.address });
    ({ hub, stop, base } = await hubOnSimWithScaleSource("dual_boiler_gear", { speed: SPEED }, (radio: GattConnector) => {
      path = bluez.addScale({
        address: "C1:5C:A1:E5:00:01",
        name: "Decent Scale",
        service: 0xfff0,
        characteristics: [
          { uuid: 0xfff4, flags: ["notify"] },
          { uuid: 0x36f5, flags: ["write", "write-without-response"] },
        ],
        radio,
      });
      // A second scale of the same model in range (a neighbour's): never to be used.
      bluez.addScale({
        address: "C1:5C:A1:E5:00:99",
        name: "Decent Scale",
        service: 0xfff0,
        characteristics: [{ uuid: 0xfff4, flags: ["notify"] }],
        radio: async () => {
          neighbourConnects++;
          throw new Error("the neighbour's scale must not be connected");
        },
      });
      scale = new ManagedScale({ transport, remembered: [] });
      return scale;
    }));
    await hub.control.run({ type: "set_mode", mode: "brew" });
    await until("ready", () => hub.model.snapshot().ready, 30000);
  }, 60000);

  afterAll(async () => {
    await stop?.();
    transport?.close();
    bluez?.stop();
    bus?.stop();
  });

  test("the app's scan finds both scales by name; the owner pairs one; its weight streams over D-Bus", async () => {
    const post = (p: string, b: unknown) =>
      fetch(`${base}/api/scale${p}`, { method: "POST", body: JSON.stringify(b), headers: { "content-type": "application/json" } });
    const scan = (await (await post("/scan", { seconds: 0.5 })).json()) as { found: { id: string; family: string; name: string }[] };
    expect(scan.found.map((f) => [f.name, f.family])).toEqual([
      ["Decent Scale", "decent"],
      ["Decent Scale", "decent"],
    ]);
    expect((await post("/pair", { id: "/org/bluez/hci0/dev_nope" })).status).toBe(404);
    expect((await post("/pair", { id: path })).status).toBe(200);
    await until("scale usable", () => scale.current !== null, 5000);
    await until("weight in the state", () => hub.model.snapshot().scale_connected === true, 5000);
    const view = (await (await fetch(`${base}/api/scale`)).json()) as Record<string, unknown>;
    expect(view).toMatchObject({
      source: "bluetooth",
      health: { connected: true, describe: "Decent Scale (decent) over Bluetooth" },
      detail: { state: "connected", stale: false, family: "decent" },
      remembered: [{ id: path, family: "decent" }],
    });
    // Remembered with the hub's data, so a restart finds it again.
    await until(
      "remembered on disk",
      () => {
        const row = hub.db.query<{ value: string }, []>("SELECT value FROM meta WHERE key = 'scales'").get();
        return row?.value.includes(path) ?? false;
      },
      3000,
    );
    // The LED-on handshake and the heartbeat went to the scale over WriteValue.
    await Bun.sleep(2300);
    expect(bluez.writesTo(path).map((b) => b[1])).toContain(0x0a);
  }, 20000);

  test("a 36 g shot stops on weight read over Bluetooth; the settled cup is near the target", async () => {
    const settled = new Promise<number>((resolve) => hub.scaleBridge?.onSettled((_t, grams) => resolve(grams)));
    const recorded = new Promise<{ stop_reason: string | null }>((resolve) => hub.recorder.onRecorded((r) => resolve(r as never)));
    const r = await hub.control.run({ type: "start_shot", profile_slot: 0, dose_g: 18, target_g: 36, require_scale: true });
    expect(r.ok).toBe(true);
    expect((await recorded).stop_reason).toBe("weight");
    const cup = await settled;
    console.log(`fake-BlueZ shot: target 36 g, settled cup ${cup} g`);
    expect(Math.abs(cup - 36)).toBeLessThanOrEqual(1.5);
  }, 60000);

  test("the scale switched off mid-shot: the shot falls back and ends, and the scale reconnects when it is back", async () => {
    await until("cup settled", () => !hub.model.snapshot().brewing, 15000);
    const recorded = new Promise<{ stop_reason: string | null; end_flags: string[] }>((resolve) =>
      hub.recorder.onRecorded((r) => resolve(r as never)),
    );
    expect((await hub.control.run({ type: "start_shot", profile_slot: 0, dose_g: 18, target_g: 60, require_scale: true })).ok).toBe(true);
    await until("pouring", () => (hub.model.snapshot().weight_g ?? 0) > 5, 20000);
    await bluez.powerOff(path);
    await until("scale gone", () => scale.current === null, 3000);
    const shot = await recorded;
    expect(shot.stop_reason).not.toBe("weight");
    expect(shot.end_flags).toContain("weight_lost");
    bluez.powerOn(path);
    await until("reconnected", () => scale.current !== null, 15000);
    expect(scale.manager.current.reconnects).toBeGreaterThanOrEqual(1);
    expect(neighbourConnects).toBe(0); // the same model next door was never tried
  }, 90000);
});
