/**
 * Home Assistant over a real Mosquitto (127.0.0.1, a port of its own, password file; once with
 * TLS and a CA made by the test) and the real simulator: discovery configs Home Assistant would
 * accept, a stale entity cleared, state updates, every command round trip, bad payloads answered,
 * Home Assistant's birth message → discovery again, a broker restart → back online, and the
 * payloads the example automations in docs/home-assistant.md rely on.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import mqtt, { type MqttClient } from "mqtt";
import type { Hub } from "../hub.ts";
import { hubOnSim } from "../testing/hub-on-disk.ts";
import { type Broker, startMosquitto } from "../testing/mosquitto.ts";
import { ENTITIES } from "./entities.ts";
import { checkDiscovery } from "./testing/ha-discovery-check.ts";

const SPEED = 30;
const HUB_USER = { name: "brewos", pass: "hub-secret-1" };
const HA_USER = { name: "homeassistant", pass: "ha-secret-2" };

interface Msg {
  topic: string;
  payload: string;
  retain: boolean;
  at: number;
}

class Watcher {
  readonly got: Msg[] = [];
  constructor(readonly client: MqttClient) {
    client.on("message", (topic, payload, packet) =>
      this.got.push({ topic, payload: payload.toString(), retain: packet.retain, at: Date.now() }),
    );
  }
  async until(what: string, pick: (m: Msg) => boolean, ms = 15000, from = 0): Promise<Msg> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = this.got.slice(from).find(pick);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms`);
      await Bun.sleep(10);
    }
  }
  /** The newest state document. */
  state(base: string): Record<string, unknown> | null {
    const m = this.got.filter((x) => x.topic === `${base}/state`).at(-1);
    return m ? (JSON.parse(m.payload) as Record<string, unknown>) : null;
  }
}

async function connect(port: number, o: mqtt.IClientOptions = {}): Promise<MqttClient> {
  return mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: HA_USER.name, password: HA_USER.pass, reconnectPeriod: 200, ...o });
}

describe("Home Assistant over Mosquitto (plain)", () => {
  let broker: Broker;
  let h: Awaited<ReturnType<typeof hubOnSim>>;
  let hub: Hub;
  let ha: MqttClient;
  let w: Watcher;
  let base = "";
  let node = "";

  beforeAll(async () => {
    broker = await startMosquitto({ users: { [HUB_USER.name]: HUB_USER.pass, [HA_USER.name]: HA_USER.pass } });
    h = await hubOnSim("dual_boiler", { speed: SPEED, scale: true });
    hub = h.hub;
    base = `brewos/${hub.deviceId}`;
    node = `brewos_${hub.deviceId}`;
    ha = await connect(broker.port);
    w = new Watcher(ha);
    await ha.subscribeAsync(["homeassistant/#", `${base}/#`]);
    // An entity an older hub published that this one no longer has.
    await ha.publishAsync(`homeassistant/sensor/${node}/voltage/config`, JSON.stringify({ name: "Voltage", state_topic: "x" }), {
      retain: true,
    });
  }, 30000);

  afterAll(async () => {
    await ha?.endAsync(true);
    await h?.stop();
    await broker?.stop();
  });

  test("a wrong password is refused and reported; the right one connects with discovery HA accepts, and the stale entity is cleared", async () => {
    const bad = await fetch(`${h.base}/api/settings`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        hub: { mqtt: { enabled: true, host: "127.0.0.1", port: broker.port, username: HUB_USER.name, password: "wrong" } },
      }),
    });
    expect(bad.status).toBe(200);
    const deadline = Date.now() + 5000;
    while (!hub.mqtt.status.last_error && Date.now() < deadline) await Bun.sleep(20);
    expect(hub.mqtt.status.state).not.toBe("connected");
    expect(hub.mqtt.status.last_error).toMatch(/not authori[sz]ed|bad user name or password/i);

    const from = w.got.length;
    const ok = await fetch(`${h.base}/api/settings`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ hub: { mqtt: { password: HUB_USER.pass } } }),
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).not.toContain(HUB_USER.pass);
    await w.until("online", (m) => m.topic === `${base}/availability` && m.payload === "online", 10000, from);
    await w.until("last config", (m) => m.topic === `homeassistant/select/${node}/profile/config`, 5000, from);
    const configs = w.got
      .slice(from)
      .filter((m) => m.topic.startsWith("homeassistant/") && m.topic.endsWith("/config") && m.payload !== "");
    const byTopic = new Map(configs.map((m) => [m.topic, JSON.parse(m.payload) as Record<string, unknown>]));
    expect(byTopic.size).toBe(ENTITIES.length);
    const problems = [...byTopic].flatMap(([topic, c]) => checkDiscovery(topic.split("/")[1] as string, c).map((p) => `${topic}: ${p}`));
    console.log(`HA discovery checker: ${byTopic.size} entities checked against HA's schemas, problems: ${JSON.stringify(problems)}`);
    expect(problems).toEqual([]);
    const ids = [...byTopic.values()].map((c) => c.unique_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...byTopic.values()].every((c) => c.availability_topic === `${base}/availability`)).toBe(true);
    const profile = byTopic.get(`homeassistant/select/${node}/profile/config`);
    expect(profile?.options).toContain("Classic 9 bar");
    // The old entity's config is removed with an empty retained payload.
    await w.until("stale cleared", (m) => m.topic === `homeassistant/sensor/${node}/voltage/config` && m.payload === "", 5000, from);
    console.log(
      `discovered entities: ${[...byTopic.keys()]
        .map((t) =>
          t
            .split("/")
            .slice(1, 2)
            .concat(t.split("/")[3] as string)
            .join("."),
        )
        .join(", ")}`,
    );
  }, 30000);

  const press = async (key: string, payload: string) => {
    const from = w.got.length;
    await ha.publishAsync(`${base}/${key}/set`, payload);
    const r = await w.until(`result for ${key}`, (m) => m.topic === `${base}/result` && JSON.parse(m.payload).entity === key, 15000, from);
    return JSON.parse(r.payload) as { ok: boolean; code?: string; message?: string; shot_token?: number };
  };

  test("every command round trip: power on at 7:00, wait for ready, setpoints, strategy, eco, profile and target, a shot that ends on weight, tare, stop, clear fault, backflush", async () => {
    // Example automation 1 ("turn on at 7:00") sends exactly this.
    expect(await press("power", "ON")).toMatchObject({ ok: true });
    await w.until("power ON in state", () => w.state(base)?.power === "ON");
    // Example automation 2 ("notify when ready") triggers on value_json.ready.
    await w.until("ready", () => w.state(base)?.ready === "ON", 30000);
    expect(await press("brew_setpoint", "93.5")).toMatchObject({ ok: true });
    expect(await press("steam_setpoint", "130")).toMatchObject({ ok: true });
    await w.until("setpoints in state", () => w.state(base)?.brew_setpoint_c === 93.5 && w.state(base)?.steam_setpoint_c === 130);
    expect(await press("heating_strategy", "parallel")).toMatchObject({ ok: true });
    await w.until("strategy in state", () => w.state(base)?.heating_strategy === "parallel");
    expect(await press("eco", "ON")).toMatchObject({ ok: true });
    await w.until("eco in state", () => w.state(base)?.eco === "ON");
    expect(await press("eco", "OFF")).toMatchObject({ ok: true });
    expect(await press("mode", "brew")).toMatchObject({ ok: true });
    // One recipe for the next shot: what Home Assistant sets, the app reads, and the other way round.
    expect(await press("target_weight", "38")).toMatchObject({ ok: true });
    expect((await (await fetch(`${h.base}/api/next-shot`)).json()) as object).toMatchObject({ target_g: 38, updated_by: "home_assistant" });
    const fromApp = await fetch(`${h.base}/api/next-shot`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ target_g: 36, profile_id: "classic-9bar" }),
    });
    expect(fromApp.status).toBe(200);
    await w.until("the app's target in state", () => w.state(base)?.target_weight_g === 36 && w.state(base)?.profile === "Classic 9 bar");
    expect(await press("profile", "Machine default")).toMatchObject({ ok: true });
    expect(hub.nextShot.get()).toMatchObject({ profile_id: null, target_g: 36 });
    await w.until("ready again", () => w.state(base)?.ready === "ON", 30000);

    const from = w.got.length;
    const started = await press("start_shot", "PRESS");
    expect(started.ok).toBe(true);
    expect(started.shot_token).toBeGreaterThan(0);
    await w.until("shot_started event", (m) => m.topic === `${base}/event/shot_started`, 5000, from);
    // Example automation 3 ("notify when a shot ends") reads weight_g and duration_s from this event.
    const ended = JSON.parse(
      (await w.until("shot_ended event", (m) => m.topic === `${base}/event/shot_ended`, 20000, from)).payload,
    ) as Record<string, unknown>;
    expect(ended).toMatchObject({ stop_reason: "weight" });
    expect(Math.abs((ended.weight_g as number) - 36)).toBeLessThan(3);
    expect(ended.duration_s as number).toBeGreaterThan(15);
    const settled = JSON.parse(
      (await w.until("shot_settled event", (m) => m.topic === `${base}/event/shot_settled`, 20000, from)).payload,
    ) as { weight_g: number };
    expect(Math.abs(settled.weight_g - 36)).toBeLessThanOrEqual(1.5);
    await w.until("shots_total 1", () => w.state(base)?.shots_total === 1, 35000);

    expect(await press("tare", "PRESS")).toMatchObject({ ok: true });
    const stopIdle = await press("stop_shot", "PRESS");
    expect(typeof stopIdle.ok).toBe("boolean"); // answered either way, with a reason when refused
    if (!stopIdle.ok) expect(stopIdle.message).toBeTruthy();
    expect(await press("clear_fault", "PRESS")).toHaveProperty("ok");
    const flush = await press("backflush", "PRESS");
    expect(flush).toMatchObject({ ok: true });
    await w.until("brewing", () => w.state(base)?.brewing === "ON", 10000);
    expect(await press("stop_shot", "PRESS")).toMatchObject({ ok: true });
    expect(await press("power", "OFF")).toMatchObject({ ok: true });
    await w.until("power OFF in state", () => w.state(base)?.power === "OFF");
  }, 120000);

  test("the profile select follows the library at once, every option unique (a copy named like a bundled one says so)", async () => {
    const from = w.got.length;
    const mine = {
      id: "my-classic",
      name: "Classic 9 bar",
      phases: [{ name: "p", mode: "pressure", from: null, to: 9, curve: "instant", over_s: 0, exit: {} }],
    };
    const saved = await fetch(`${h.base}/api/profiles/library/my-classic`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(mine),
    });
    expect(saved.status).toBe(200);
    const config = await w.until(
      "options with the new profile",
      (m) => m.topic === `homeassistant/select/${node}/profile/config` && m.payload.includes("Classic 9 bar (yours)"),
      5000,
      from,
    );
    const options = (JSON.parse(config.payload) as { options: string[] }).options;
    expect(new Set(options).size).toBe(options.length);
    expect(options.filter((o) => o.startsWith("Classic 9 bar"))).toEqual(["Classic 9 bar", "Classic 9 bar (yours)"]);
    expect(await press("profile", "Classic 9 bar (yours)")).toMatchObject({ ok: true });
    expect(hub.nextShot.get().profile_id).toBe("my-classic");
    const gone = w.got.length;
    expect((await fetch(`${h.base}/api/profiles/library/my-classic`, { method: "DELETE" })).status).toBe(200);
    await w.until(
      "options without it",
      (m) => m.topic === `homeassistant/select/${node}/profile/config` && !m.payload.includes("(yours)") && m.payload !== "",
      5000,
      gone,
    );
    expect(await press("profile", "Machine default")).toMatchObject({ ok: true });
  });

  test("bad payloads are answered with what to send, and change nothing", async () => {
    expect(await press("power", "maybe")).toMatchObject({ ok: false, code: "invalid_payload", message: 'send "ON" or "OFF"' });
    expect(await press("brew_setpoint", "hot")).toMatchObject({ ok: false, code: "invalid_payload" });
    expect(await press("brew_setpoint", "120")).toMatchObject({ ok: false, code: "invalid_payload" });
    expect(await press("mode", "turbo")).toMatchObject({ ok: false, code: "invalid_payload" });
    expect(await press("profile", "Espresso martini")).toMatchObject({ ok: false, code: "invalid_payload" });
    expect(await press("kettle", "ON")).toMatchObject({ ok: false, code: "unknown_entity" });
    expect(w.state(base)?.power).toBe("OFF");
  }, 30000);

  test("Home Assistant's birth message brings discovery again; a broker restart brings the hub back online", async () => {
    let from = w.got.length;
    await ha.publishAsync("homeassistant/status", "online");
    await w.until("configs again", (m) => m.topic === `homeassistant/select/${node}/profile/config` && m.payload !== "", 5000, from);
    expect(w.got.slice(from).filter((m) => m.topic.endsWith("/config") && m.payload !== "").length).toBe(ENTITIES.length);

    await broker.restart(); // retained messages are gone with it (no persistence)
    from = w.got.length;
    await w.until("online after restart", (m) => m.topic === `${base}/availability` && m.payload === "online", 20000, from);
    await w.until("state after restart", (m) => m.topic === `${base}/state`, 5000, from);
    expect(hub.mqtt.status.state).toBe("connected");
  }, 40000);

  test("a dropped connection: the broker publishes the last will (offline), the hub comes back online; a clean stop says offline", async () => {
    const watcher = await connect(broker.port);
    const ww = new Watcher(watcher);
    await watcher.subscribeAsync(`${base}/availability`);
    await ww.until("online", (m) => m.payload === "online");
    // Cut the hub's socket without an MQTT goodbye, as a power cut or a dead Wi-Fi would.
    (hub.mqtt as unknown as { client: { stream: { destroy(): void } } }).client.stream.destroy();
    const will = await ww.until("last will", (m) => m.payload === "offline", 10000, ww.got.length);
    await ww.until("back online", (m) => m.payload === "online", 15000, ww.got.indexOf(will) + 1);
    const from = ww.got.length;
    await hub.mqtt.stop();
    await ww.until("offline on stop", (m) => m.payload === "offline", 5000, from);
    await watcher.endAsync(true);
  }, 40000);
});

describe("Home Assistant over Mosquitto with TLS", () => {
  test("connects with the CA the broker's certificate was signed by; refuses an unknown certificate", async () => {
    const broker = await startMosquitto({ users: { [HUB_USER.name]: HUB_USER.pass }, tls: true });
    const h = await hubOnSim("dual_boiler", { speed: SPEED });
    try {
      const patch = (mqttPatch: Record<string, unknown>) =>
        fetch(`${h.base}/api/settings`, {
          method: "PATCH",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ hub: { mqtt: mqttPatch } }),
        });
      // TLS on, but the broker's CA is not trusted: the certificate check fails and is reported.
      await patch({
        enabled: true,
        host: "127.0.0.1",
        port: broker.port,
        username: HUB_USER.name,
        password: HUB_USER.pass,
        tls: { enabled: true, verify: true },
      });
      let deadline = Date.now() + 5000;
      while (!h.hub.mqtt.status.last_error && Date.now() < deadline) await Bun.sleep(20);
      expect(h.hub.mqtt.status.state).not.toBe("connected");
      expect(h.hub.mqtt.status.last_error).toMatch(/certificate/i);
      // With the CA file it connects over TLS.
      await patch({ tls: { ca_path: broker.caPath }, password: HUB_USER.pass }); // a new trust anchor is a new destination: the password again
      deadline = Date.now() + 10000;
      while (h.hub.mqtt.status.state !== "connected" && Date.now() < deadline) await Bun.sleep(20);
      expect(h.hub.mqtt.status).toMatchObject({ state: "connected", broker: `mqtts://127.0.0.1:${broker.port}` });
      const settings = (await (await fetch(`${h.base}/api/settings`)).json()) as { hub: { mqtt: { tls: { ca_path: string } } } };
      expect(settings.hub.mqtt.tls.ca_path).toBe(broker.caPath as string);
    } finally {
      await h.stop();
      await broker.stop();
    }
  }, 40000);
});
