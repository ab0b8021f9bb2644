/**
 * A scale a phone lends the hub, end to end: a hub on the simulator with no scale of its own; a
 * "phone" holds the simulator's virtual Decent Scale with the shared connection manager (as the
 * app does over Web Bluetooth) and lends it over a real /ws with the shared lender. Brew-by-weight
 * uses it — the tare before the shot goes to the phone and is confirmed there — a second phone is
 * refused, a malformed report is answered and changes nothing, and the phone going away is a scale
 * lost, not a stalled machine.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { PHONE_SCALE_SEND_EVERY_MS, type PhoneScaleToApp } from "@brewos/protocol/api/phone-scale";
import { PhoneScaleLender } from "@brewos/protocol/api/phone-scale-lender";
import { ScaleManager } from "@brewos/protocol/scales";
import type { Hub } from "../hub.ts";
import { gattScaleTransport } from "../testing/gatt-scale-transport.ts";
import { hubOnSimWithScaleSource } from "../testing/hub-on-disk.ts";
import { until } from "../testing/until.ts";
import type { GattConnector } from "./gatt-link.ts";

const SPEED = 25;

/** A phone on the hub's /ws lending the scale it holds. */
class Phone {
  readonly got: Record<string, unknown>[] = [];
  readonly manager: ScaleManager;
  readonly lender: PhoneScaleLender;
  private readonly ws: WebSocket;
  private readonly timer: ReturnType<typeof setInterval>;
  readonly opened: Promise<void>;

  constructor(url: string, radio: GattConnector) {
    this.ws = new WebSocket(url);
    this.opened = new Promise((resolve) => this.ws.addEventListener("open", () => resolve()));
    this.lender = new PhoneScaleLender({
      send: (m) => {
        if (this.ws.readyState !== WebSocket.OPEN) return false;
        this.ws.send(JSON.stringify(m));
        return true;
      },
    });
    this.ws.addEventListener("message", (e) => {
      const m = JSON.parse(String(e.data)) as Record<string, unknown>;
      this.got.push(m);
      if (typeof m.type === "string" && m.type.startsWith("phone_scale")) void this.lender.receive(m as unknown as PhoneScaleToApp);
    });
    this.manager = new ScaleManager({
      transport: gattScaleTransport(radio, { id: "sim-scale", name: "Decent Scale" }, 0xfff0),
      onWeight: (w) => this.lender.reading(w),
    });
    // Every 100 ms of the simulated machine's time (the phone's batching, at the simulator's speed).
    this.timer = setInterval(() => this.lender.tick(), PHONE_SCALE_SEND_EVERY_MS / SPEED);
  }

  hold(): void {
    this.manager.start();
    this.manager.pair({ id: "sim-scale", name: "Decent Scale", family: "decent" });
    this.lender.use(this.manager);
  }

  sendRaw(m: unknown): void {
    this.ws.send(JSON.stringify(m));
  }

  async leave(): Promise<void> {
    clearInterval(this.timer);
    this.ws.close();
    await this.manager.stop();
  }
}

describe("a scale lent by a phone", () => {
  let hub: Hub;
  let stop: () => Promise<void>;
  let base = "";
  let radio: GattConnector;
  let phone: Phone;

  beforeAll(async () => {
    ({ hub, stop, base } = await hubOnSimWithScaleSource("dual_boiler_gear", { speed: SPEED }, (r) => {
      radio = r;
      return null; // the hub has no scale of its own
    }));
    await hub.control.run({ type: "set_mode", mode: "brew" });
    await until("ready", () => hub.model.snapshot().ready, 30000);
  }, 60000);

  afterAll(async () => {
    await phone?.leave();
    await stop?.();
  });

  const view = async () => (await (await fetch(`${base}/api/scale`)).json()) as Record<string, unknown>;

  test("with no scale of its own, the hub uses the phone's: it shows on the scale screen and in the state", async () => {
    expect(await view()).toMatchObject({ source: "none", phone: null, in_use: null });
    phone = new Phone(`${base.replace("http", "ws")}/ws`, radio);
    await phone.opened;
    phone.hold();
    await until("the phone's scale in use", () => hub.scale.which() === "phone", 10000);
    await until("weight in the state", () => hub.model.snapshot().scale_connected, 5000);
    expect(await view()).toMatchObject({
      source: "none",
      phone: { name: "Decent Scale", family: "decent", connected: true },
      in_use: "phone",
    });
  }, 20000);

  test("a malformed report is answered with what is wrong and changes nothing", async () => {
    const from = phone.got.length;
    phone.sendRaw({
      type: "phone_scale",
      v: 1,
      scale: { name: "X", family: "decent", lag_ms: 100, battery_pct: null },
      readings: [{ grams: "36" }],
    });
    await until("an error", () => phone.got.slice(from).some((m) => m.type === "error" && m.code === "invalid_phone_scale"), 3000);
    expect(hub.scale.which()).toBe("phone");
  });

  test("a second phone's scale is refused while the first one's is in use", async () => {
    const other = new Phone(`${base.replace("http", "ws")}/ws`, radio);
    await other.opened;
    other.sendRaw({
      type: "phone_scale",
      v: 1,
      scale: { name: "Lunar", family: "acaia", lag_ms: 500, battery_pct: 80 },
      readings: [{ grams: 0, stable: true, age_ms: 5 }],
    });
    await until("refused", () => other.got.some((m) => m.type === "phone_scale_refused"), 3000);
    expect(String(other.got.find((m) => m.type === "phone_scale_refused")?.message)).toContain("Decent Scale");
    await other.leave();
    expect(hub.scale.which()).toBe("phone");
  });

  test("a 36 g shot stops on the phone's weight; the tare before it is done on the phone; the settled cup is near the target", async () => {
    const settled = new Promise<number>((resolve) => hub.scaleBridge.onSettled((_t, grams) => resolve(grams)));
    const recorded = new Promise<{ stop_reason: string | null }>((resolve) => hub.recorder.onRecorded((r) => resolve(r as never)));
    const tares = phone.got.filter((m) => m.type === "phone_scale_tare").length;
    const r = await hub.control.run({ type: "start_shot", profile_slot: 0, dose_g: 18, target_g: 36, require_scale: true });
    expect(r).toMatchObject({ ok: true });
    expect(phone.got.filter((m) => m.type === "phone_scale_tare").length).toBeGreaterThan(tares);
    expect((await recorded).stop_reason).toBe("weight");
    const cup = await settled;
    console.log(`phone-lent scale shot: target 36 g, settled cup ${cup} g`);
    expect(Math.abs(cup - 36)).toBeLessThanOrEqual(1.5);
  }, 60000);

  test("the phone goes away: the scale is lost at once, and the hub says so", async () => {
    await phone.leave();
    await until("no scale in use", () => hub.scale.which() === null, 3000);
    await until("no weight in the state", () => !hub.model.snapshot().scale_connected, 3000);
    expect(await view()).toMatchObject({ phone: null, in_use: null });
    const tare = await fetch(`${base}/api/scale/tare`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(tare.status).toBe(409);
  });
});
