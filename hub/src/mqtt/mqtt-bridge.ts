/**
 * @module The hub on an MQTT broker, for Home Assistant and other home automation: availability
 * with a last will, a retained state document (throttled), events (shot started/ended, alarms,
 * maintenance due), discovery from the entity table (republished when Home Assistant comes
 * online; configs of entities that no longer exist are cleared), and commands on `…/set` topics
 * run through the same MachineControl as the app's, each answered on `<base>/result`.
 */

import type { Profile } from "@brewos/protocol/profile";
import { HeatingStrategy, MachineMode, MachineType } from "@brewos/protocol/uart";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { parseCommand } from "../api/commands.ts";
import { Backoff } from "../controller-link/backoff.ts";
import { HUB_VERSION_TEXT, type Hub } from "../hub.ts";
import { enumNamer } from "../machine/enum-names.ts";
import { startCommand } from "../machine/next-shot.ts";
import { checkCaFile } from "../settings/resources.ts";
import type { HubSettings } from "../settings/schema.ts";
import { availabilityTopic, discoveryConfigs, eventTopic, resultTopic, stateTopic, type Topics, topicsFor } from "./discovery.ts";
import { type Action, ENTITY_BY_KEY, type StateDoc } from "./entities.ts";

type MqttSettings = HubSettings["mqtt"];
const modeName = enumNamer(MachineMode);
const strategyName = enumNamer(HeatingStrategy);
const machineName = enumNamer(MachineType);
const MACHINE_DEFAULT = "Machine default";
/** At most one state document per this many ms (Home Assistant does not need 20 Hz). */
const STATE_MIN_MS = 1000;
/** How long to collect retained discovery configs before clearing the ones we no longer have. */
const CLEANUP_MS = 1500;

export type MqttStatus = { state: "off" | "connecting" | "connected" | "reconnecting"; broker: string | null; last_error: string | null };

/** Select options for profiles: unique names, each naming one profile id. */
export function selectOptions(
  bundled: readonly Profile[],
  library: readonly Profile[],
): { names: string[]; idByName: Map<string, string> } {
  const idByName = new Map<string, string>();
  const add = (p: Profile, source: string) => {
    let name = idByName.has(p.name) || p.name === MACHINE_DEFAULT ? `${p.name} (${source})` : p.name;
    for (let n = 2; idByName.has(name); n++) name = `${p.name} (${source} ${n})`;
    idByName.set(name, p.id);
  };
  for (const p of bundled) add(p, "bundled");
  for (const p of library) add(p, "yours");
  return { names: [MACHINE_DEFAULT, ...idByName.keys()], idByName };
}

export class MqttBridge {
  private client: MqttClient | null = null;
  private topics: Topics | null = null;
  private settings: MqttSettings | null = null;
  private readonly backoff = new Backoff({ initialMs: 1000, maxMs: 60_000 });
  private retry: ReturnType<typeof setTimeout> | null = null;
  private stateTimer: ReturnType<typeof setTimeout> | null = null;
  private lastStateMs = 0;
  private known = new Set<string>();
  private collecting = false;
  private lastAlarm: string | null = null;
  private wasBrewing = false;
  private statsCache: { at: number; doc: Pick<StateDoc, "shots_today" | "shots_total" | "energy_today_kwh"> } | null = null;
  private readonly off: (() => void)[] = [];
  status: MqttStatus = { state: "off", broker: null, last_error: null };

  constructor(
    private readonly hub: Hub,
    private readonly deviceId: string,
    private readonly log?: (level: "info" | "warn", text: string) => void,
  ) {}

  start(): void {
    this.off.push(
      this.hub.settings.onHubChange((s) => {
        if (JSON.stringify(s.mqtt) !== JSON.stringify(this.settings)) void this.restart();
      }),
      this.hub.nextShot.onChange(() => this.scheduleState()),
      // A profile saved or deleted changes the select's options: announce them at once.
      this.hub.profileLibrary.onChange(() => {
        this.publishDiscovery();
        this.publishState();
      }),
      this.hub.model.onDelta((d) => {
        this.scheduleState();
        this.watchEvents(d.changes);
      }),
      this.hub.storage.onChange(() => this.scheduleState()),
      this.hub.recorder.onRecorded((shot) => {
        this.statsCache = null;
        this.publishEvent("shot_ended", {
          id: shot.id,
          duration_s: (shot.duration_ms ?? 0) / 1000,
          weight_g: shot.final_weight_g,
          volume_ml: shot.volume_ml,
          dose_g: shot.dose_g,
          stop_reason: shot.stop_reason,
          max_pressure_bar: shot.max_pressure_bar,
        });
        for (const m of this.hub.statistics.maintenance())
          if (m.due) this.publishEvent("maintenance_due", { kind: m.kind, shots_since: m.shots_since, reason: m.reason });
      }),
      this.hub.onShotUpdated((shot) => {
        if (shot.settled_weight_g !== null) this.publishEvent("shot_settled", { id: shot.id, weight_g: shot.settled_weight_g });
      }),
    );
    void this.restart();
  }

  async stop(): Promise<void> {
    for (const f of this.off.splice(0)) f();
    await this.disconnect();
  }

  private async restart(): Promise<void> {
    await this.disconnect();
    const s = this.hub.settings.hubSettings().mqtt;
    this.settings = structuredClone(s);
    if (!s.enabled || !s.host) {
      this.status = { state: "off", broker: null, last_error: null };
      return;
    }
    this.topics = topicsFor(s.topic_prefix, s.discovery_prefix, this.deviceId);
    const url = `${s.tls.enabled ? "mqtts" : "mqtt"}://${s.host}:${s.port}`;
    const o: IClientOptions = {
      clientId: s.client_id || `brewos_${this.deviceId}`,
      clean: true,
      reconnectPeriod: 0, // our own backoff below
      connectTimeout: 5000,
      will: { topic: availabilityTopic(this.topics), payload: Buffer.from("offline"), qos: 1, retain: true },
    };
    if (s.username) o.username = s.username;
    if (s.password) o.password = s.password;
    if (s.tls.enabled) {
      o.rejectUnauthorized = s.tls.verify;
      if (s.tls.ca_path) {
        const ca = checkCaFile(s.tls.ca_path);
        if (!ca.ok) {
          // A CA file that went missing or bad turns MQTT off alone, with the reason in /api/health.
          this.status = { state: "off", broker: url, last_error: ca.message };
          this.log?.("warn", `mqtt: ${ca.message}`);
          return;
        }
        o.ca = ca.pem;
      }
    }
    this.status = { state: "connecting", broker: url, last_error: null };
    const client = mqtt.connect(url, o);
    this.client = client;
    client.on("connect", () => this.connected(client));
    client.on("message", (topic, payload) => this.message(topic, payload.toString("utf8")));
    client.on("error", (e) => {
      this.status.last_error = e.message;
    });
    client.on("close", () => {
      if (this.client !== client) return;
      this.status.state = "reconnecting";
      if (this.retry) clearTimeout(this.retry);
      this.retry = setTimeout(() => {
        if (this.client === client) client.reconnect();
      }, this.backoff.next());
    });
  }

  private async disconnect(): Promise<void> {
    if (this.retry) clearTimeout(this.retry);
    if (this.stateTimer) clearTimeout(this.stateTimer);
    const c = this.client;
    const t = this.topics;
    this.client = null;
    if (!c) return;
    if (c.connected && t) await c.publishAsync(availabilityTopic(t), "offline", { qos: 1, retain: true }).catch(() => {});
    await c.endAsync(true).catch(() => {});
  }

  private connected(client: MqttClient): void {
    const t = this.topics as Topics;
    this.backoff.reset();
    this.status = { state: "connected", broker: this.status.broker, last_error: null };
    this.log?.("info", `mqtt: connected to ${this.status.broker} as ${t.base}`);
    void client.publishAsync(availabilityTopic(t), "online", { qos: 1, retain: true }).catch(() => {});
    this.publishDiscovery();
    this.publishState();
    // Retained configs under our node id that the table no longer has are cleared.
    this.collecting = true;
    void client
      .subscribeAsync({
        [`${t.base}/+/set`]: { qos: 1 },
        [`${t.discoveryPrefix}/status`]: { qos: 1 },
        [`${t.discoveryPrefix}/+/${t.nodeId}/+/config`]: { qos: 1 },
      })
      .catch((e: Error) => this.log?.("warn", `mqtt: subscribe failed: ${e.message}`));
    setTimeout(() => {
      this.collecting = false;
      client.unsubscribeAsync(`${t.discoveryPrefix}/+/${t.nodeId}/+/config`).catch(() => {});
    }, CLEANUP_MS);
  }

  /** The next shot's profile by name, as Home Assistant's select shows it. */
  private profileName(): string {
    const id = this.hub.nextShot.get().profile_id;
    const { idByName } = this.profiles();
    return [...idByName].find(([, v]) => v === id)?.[0] ?? MACHINE_DEFAULT;
  }

  /**
   * The profile select's options: every bundled and library profile under a name no other option
   * has (a library profile named like a bundled one, or like another, gets its source or a number).
   */
  private profiles(): { names: string[]; idByName: Map<string, string> } {
    return selectOptions(this.hub.profiles.bundled, this.hub.profileLibrary.list());
  }

  private publishDiscovery(): void {
    const c = this.client;
    const t = this.topics;
    if (!c || !t) return;
    const hello = this.hub.link.health().controller;
    const configs = discoveryConfigs(
      t,
      {
        deviceId: this.deviceId,
        name: this.hub.settings.hubSettings().machine_name,
        model: hello ? `BrewOS ${String(machineName(hello.machine_type)).replaceAll("_", " ")}` : "BrewOS",
        hubVersion: HUB_VERSION_TEXT,
        firmware: hello ? `${hello.fw_major}.${hello.fw_minor}.${hello.fw_patch}` : null,
      },
      this.profiles().names,
    );
    this.known = new Set(configs.map((x) => x.topic));
    for (const x of configs) c.publish(x.topic, JSON.stringify(x.payload), { qos: 1, retain: true });
  }

  private stateDoc(): StateDoc {
    const s = this.hub.model.snapshot();
    const d = this.hub.control.current();
    const on = (b: boolean) => (b ? "ON" : "OFF") as "ON" | "OFF";
    if (!this.statsCache || Date.now() - this.statsCache.at > 30_000) {
      const st = this.hub.statistics.summary();
      this.statsCache = {
        at: Date.now(),
        doc: { shots_today: st.shots.today, shots_total: st.shots.total, energy_today_kwh: Math.round(st.energy.today_wh) / 1000 },
      };
    }
    const mode = String(modeName(d.mode)) as StateDoc["mode"];
    return {
      state: s.state,
      power: on(mode !== "standby"),
      mode,
      ready: on(s.ready),
      brewing: on(s.brewing),
      heating: on(s.flags.includes("brew_heater_on") || s.flags.includes("steam_heater_on")),
      water_low: on(s.flags.includes("water_low")),
      alarm: on(s.alarm !== null),
      alarm_name: s.alarm,
      eco: on((d.flags & 1) !== 0),
      controller_connected: on(s.link === "up"),
      scale_connected: on(s.scale_connected),
      storage: this.hub.storage.status().state,
      storage_problem: on(this.hub.storage.status().state !== "ok"),
      brew_c: s.brew_c,
      steam_c: s.steam_c,
      brew_setpoint_c: d.brew_setpoint_cdeg / 100,
      steam_setpoint_c: d.steam_setpoint_cdeg / 100,
      pressure_bar: s.pressure_bar,
      flow_ml_s: s.flow_ml_s,
      weight_g: s.weight_g,
      shot_time_s: s.shot_elapsed_s,
      ...this.statsCache.doc,
      heating_strategy: String(strategyName(d.heating_strategy)),
      profile: this.profileName(),
      target_weight_g: this.hub.nextShot.get().target_g ?? 0,
    };
  }

  private publishState(): void {
    const c = this.client;
    const t = this.topics;
    if (!c?.connected || !t) return;
    this.lastStateMs = Date.now();
    c.publish(stateTopic(t), JSON.stringify(this.stateDoc()), { qos: 0, retain: true });
  }

  private scheduleState(): void {
    if (!this.client?.connected || this.stateTimer) return;
    const wait = Math.max(0, this.lastStateMs + STATE_MIN_MS - Date.now());
    this.stateTimer = setTimeout(() => {
      this.stateTimer = null;
      this.publishState();
    }, wait);
  }

  private watchEvents(changes: Record<string, unknown>): void {
    if ("brewing" in changes) {
      const b = Boolean(changes.brewing);
      if (b && !this.wasBrewing)
        this.publishEvent("shot_started", { profile: this.profileName(), target_weight_g: this.hub.nextShot.get().target_g ?? 0 });
      this.wasBrewing = b;
    }
    if ("alarm" in changes) {
      const a = (changes.alarm as string | null) ?? null;
      if (a && a !== this.lastAlarm) this.publishEvent("alarm", { alarm: a });
      this.lastAlarm = a;
    }
  }

  private publishEvent(kind: string, body: Record<string, unknown>): void {
    const c = this.client;
    const t = this.topics;
    if (!c?.connected || !t) return;
    c.publish(eventTopic(t, kind), JSON.stringify({ ...body, at_ms: Date.now() }), { qos: 1 });
  }

  private message(topic: string, payload: string): void {
    const t = this.topics;
    const c = this.client;
    if (!t || !c) return;
    if (topic === `${t.discoveryPrefix}/status`) {
      if (payload === "online") {
        // Home Assistant restarted: it needs every config (and the state) again.
        this.publishDiscovery();
        this.publishState();
      }
      return;
    }
    if (topic.startsWith(`${t.discoveryPrefix}/`) && topic.endsWith("/config")) {
      if (this.collecting && payload !== "" && !this.known.has(topic)) {
        this.log?.("info", `mqtt: clearing the config of a removed entity (${topic})`);
        c.publish(topic, "", { qos: 1, retain: true });
      }
      return;
    }
    const m = new RegExp(`^${t.base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/([a-z_]+)/set$`).exec(topic);
    if (!m) return;
    void this.command(m[1] as string, payload.trim());
  }

  private async command(key: string, payload: string): Promise<void> {
    const e = ENTITY_BY_KEY.get(key);
    const answer = (r: { ok: boolean; code?: string; message?: string; [k: string]: unknown }) =>
      this.client?.publish(resultTopic(this.topics as Topics), JSON.stringify({ entity: key, payload, ...r, at_ms: Date.now() }), {
        qos: 1,
      });
    if (!e?.command) return void answer({ ok: false, code: "unknown_entity", message: `nothing to control at ${key}` });
    const profiles = this.profiles();
    const action: Action = e.command(payload, { profiles: profiles.names });
    const r = await this.run(action, profiles.idByName);
    answer(r);
    this.publishState();
  }

  private async run(
    a: Action,
    idByName: Map<string, string>,
  ): Promise<{ ok: boolean; code?: string; message?: string; [k: string]: unknown }> {
    switch (a.kind) {
      case "refused":
        return { ok: false, code: "invalid_payload", message: a.message };
      case "target_weight": {
        const r = this.hub.nextShot.set({ target_g: a.grams > 0 ? a.grams : null }, "home_assistant");
        return r.ok ? { ok: true } : { ok: false, code: r.code, message: r.message };
      }
      case "profile": {
        const r = this.hub.nextShot.set({ profile_id: idByName.get(a.name) ?? null }, "home_assistant");
        return r.ok ? { ok: true } : { ok: false, code: r.code, message: r.message };
      }
      case "tare":
        return this.hub.scale.tare();
      case "start_shot":
        return this.execute(startCommand(this.hub.nextShot.get()));
      case "command":
        return this.execute(a.command);
    }
  }

  /** Through the same validation and control as the app's commands. */
  private async execute(command: unknown): Promise<{ ok: boolean; code?: string; message?: string; [k: string]: unknown }> {
    const parsed = parseCommand(command);
    if (!parsed.ok) return { ok: false, code: parsed.code, message: parsed.message };
    const out = await this.hub.control.run(parsed.value);
    return out.ok ? { ok: true, ...(out.detail ?? {}) } : out;
  }
}
