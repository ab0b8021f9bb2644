/**
 * @module The hub assembled: controller link, machine model, control, shot store and recorder,
 * wired once. The HTTP/WebSocket layer and main.ts take a Hub; tests build one on the simulator.
 */
import type { Database } from "bun:sqlite";
import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { RememberedScale } from "@brewos/protocol/scales";
import { Hlc } from "@brewos/protocol/sync";
import { AlarmAction, AlarmSeverity, CONFIG_KEYS, ConfigKey } from "@brewos/protocol/uart";
import { LocalAuth } from "./auth/local-auth.ts";
import { ControllerLink } from "./controller-link/controller-link.ts";
import type { TransportFactory } from "./controller-link/transport.ts";
import { ControllerUpdater } from "./firmware/controller-updater.ts";
import { watchedRelease } from "./firmware/release.ts";
import { AutotuneResults } from "./machine/autotune.ts";
import { type DesiredView, MachineControl } from "./machine/control.ts";
import { MachineModel } from "./machine/machine-state.ts";
import { NextShotRecipe } from "./machine/next-shot.ts";
import { ProfileLibrary } from "./machine/profile-library.ts";
import { loadBundledProfiles, ProfileSlots } from "./machine/profiles.ts";
import { Scheduler } from "./machine/scheduler.ts";
import { MqttBridge } from "./mqtt/mqtt-bridge.ts";
import type { GattConnector } from "./scale/gatt-link.ts";
import { PhoneScale } from "./scale/phone-scale.ts";
import { PreferredScale } from "./scale/preferred-scale.ts";
import { ScaleBridge } from "./scale/scale-bridge.ts";
import { ScaleConnection } from "./scale/scale-connection.ts";
import { isPairable, type ScaleSource } from "./scale/scale-source.ts";
import { SecretBox } from "./settings/secret-box.ts";
import { Settings } from "./settings/settings.ts";
import { EnergyMeter } from "./stats/energy-meter.ts";
import { Statistics } from "./stats/statistics.ts";
import { openDatabase } from "./store/db.ts";
import { deviceId } from "./store/device-id.ts";
import { readMetaJson, writeMetaJson } from "./store/meta-json.ts";
import { ShotRecorder } from "./store/shot-recorder.ts";
import { type ShotRecord, ShotStore } from "./store/shot-store.ts";
import { StorageHealth } from "./store/storage-health.ts";
import { SyncService } from "./sync/sync-service.ts";

export const HUB_VERSION = { major: 0, minor: 1, patch: 0 };
/** How long a deleted shot is kept as a tombstone for phones that were away. */
export const TOMBSTONE_DAYS = 90;
export const HUB_VERSION_TEXT = `${HUB_VERSION.major}.${HUB_VERSION.minor}.${HUB_VERSION.patch}`;

export interface HubOptions {
  open: TransportFactory;
  dataDir: string;
  /** Simulated seconds per wall second on the far side (1 for a real machine). */
  speed?: number;
  /** How to reach the scale (the simulator's virtual scale, or a BLE scale); none: no scale. */
  scale?: GattConnector;
  /** A scale kept some other way (a Bluetooth scale through the connection manager); wins over `scale`. */
  scaleSource?: ScaleSource;
  log?: (level: "info" | "warn", text: string) => void;
  /** How long a pairing code stays valid (default 10 minutes). */
  pairingTtlMs?: number;
  /** The controller firmware this hub release carries (a folder with controller-release.json). */
  controllerRelease?: { dir: string; keys: readonly Uint8Array[]; board: "sim" | "pico2" };
}

export class Hub {
  readonly db: Database;
  readonly link: ControllerLink;
  readonly model = new MachineModel();
  readonly control: MachineControl;
  readonly shots: ShotStore;
  readonly recorder: ShotRecorder;
  readonly settings: Settings;
  readonly energy: EnergyMeter;
  readonly statistics: Statistics;
  readonly scheduler: Scheduler;
  readonly profiles: ProfileSlots;
  readonly profileLibrary: ProfileLibrary;
  readonly autotune = new AutotuneResults();
  /** Controller firmware: the running version, the one this hub carries, and updating to it. */
  readonly firmware: ControllerUpdater;
  /** The recipe for the next shot, shared by the app, Home Assistant and the display. */
  readonly nextShot: NextShotRecipe;
  /** Free space and failed writes of the data folder (a full disk never stops the machine). */
  readonly storage: StorageHealth;
  /** This hub's stable id (MQTT topics, Home Assistant unique ids, sync). */
  readonly deviceId: string;
  /** The hub's hybrid logical clock (edits made on the hub, and every clock phones send). */
  readonly clock: Hlc;
  readonly sync: SyncService;
  /** The hub's identity, paired apps, pairing and sign-in. */
  readonly auth: LocalAuth;
  readonly mqtt: MqttBridge;
  /** The scale the hub finds itself (Bluetooth, or the simulator's virtual one); null: none of its own. */
  readonly ownScale: ScaleSource | null;
  /** A scale a paired phone lends over /ws. */
  readonly phoneScale = new PhoneScale();
  /** The one brew-by-weight uses: the hub's own while it streams, else the phone's. */
  readonly scale: PreferredScale;
  readonly scaleBridge: ScaleBridge;
  private energyTimer: ReturnType<typeof setInterval> | null = null;
  private tombstoneTimer: ReturnType<typeof setInterval> | null = null;
  private readonly log: HubOptions["log"];
  private readonly shotUpdateListeners = new Set<(shot: ShotRecord) => void>();
  readonly startedAt = Date.now();
  /** The data folder (database, keys, staging files). */
  readonly dataDir: string;
  /** Set when the database could not be opened: the hub runs on an empty one in memory. */
  readonly safeMode: { reason: string; file: string } | null = null;
  readonly interruptedAtStart: number;

  constructor(o: HubOptions) {
    this.log = o.log;
    this.dataDir = o.dataDir;
    // The data folder and every file in it are the hub user's alone (history, notes, secrets).
    mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
    chmodSync(o.dataDir, 0o700);
    this.storage = new StorageHealth(o.dataDir, o.log);
    const dbPath = join(o.dataDir, "hub.sqlite");
    try {
      this.db = openDatabase(dbPath);
    } catch (e) {
      // Safe mode: the file stays as it is (never overwritten without the owner); the hub runs on
      // an empty database in memory so the machine stays controllable and the app can explain.
      this.safeMode = { reason: (e as Error).message, file: dbPath };
      o.log?.(
        "warn",
        `SAFE MODE: ${(e as Error).message}. Nothing is saved until the owner decides (app banner, or docs/api/rest.md#safe-mode).`,
      );
      this.db = openDatabase(":memory:");
    }
    this.deviceId = deviceId(this.db);
    const lastClock = this.db.query<{ value: string }, []>("SELECT value FROM meta WHERE key = 'hlc'").get()?.value ?? null;
    this.clock = new Hlc(`0000${this.deviceId}`, lastClock);
    this.shots = new ShotStore(this.db);
    this.sync = new SyncService(this.db, this.shots, this.clock, this.deviceId);
    this.interruptedAtStart = this.storage.write("marking interrupted shots", () => this.shots.markInterrupted(), 0);
    const speed = o.speed ?? 1;
    let control: MachineControl | null = null;
    this.link = new ControllerLink({
      open: o.open,
      desired: () => (control as MachineControl).current(),
      keepaliveMs: Math.max(2, 200 / speed),
      hubVersion: HUB_VERSION,
      onUp: async () => {
        await this.settings.pushAll();
        await this.profiles.restoreAll(o.log);
      },
      ...(o.log ? { log: o.log } : {}),
    });
    const rel = o.controllerRelease;
    this.firmware = new ControllerUpdater(
      this.link,
      rel
        ? watchedRelease(rel.dir, rel.keys, rel.board)
        : () => ({ ok: false, code: "none", message: "this hub carries no controller firmware" }),
      o.log,
    );
    this.ownScale = o.scaleSource ?? (o.scale ? new ScaleConnection({ connect: o.scale, ...(o.log ? { log: o.log } : {}) }) : null);
    this.scale = new PreferredScale(this.ownScale, this.phoneScale);
    // A Bluetooth scale's remembered list lives with the hub's data, so a restart finds it again.
    if (isPairable(this.ownScale)) {
      const pairable = this.ownScale;
      const saved = readMetaJson<RememberedScale[]>(this.db, "scales", (v) => Array.isArray(v));
      if (saved) pairable.setRemembered(saved);
      pairable.onRememberedChange((list) =>
        this.storage.write("remembering the scale", () => writeMetaJson(this.db, "scales", list), undefined),
      );
    }
    this.scaleBridge = new ScaleBridge(this.scale, this.link, speed);
    const bridge = this.scaleBridge;
    control = new MachineControl(
      this.link,
      () => bridge.beforeShot(),
      async (id) => {
        const p = this.profiles.bundled.find((x) => x.id === id) ?? this.profileLibrary.get(id);
        if (!p) return { ok: false, code: "not_found", message: `no profile "${id}" (bundled or in the library)` };
        return this.profiles.ensure(p);
      },
    );
    this.settings = new Settings(this.db, this.link, o.log, SecretBox.inFolder(o.dataDir, o.log));
    this.auth = new LocalAuth({
      dataDir: o.dataDir,
      db: this.db,
      openOnNetwork: () => this.settings.hubSettings().open_on_network,
      ...(o.pairingTtlMs ? { pairingTtlMs: o.pairingTtlMs } : {}),
      ...(o.log ? { log: o.log } : {}),
    });
    this.profiles = new ProfileSlots(
      this.link,
      loadBundledProfiles(join(import.meta.dir, "..", "..", "protocol", "profile", "bundled")),
      this.db,
    );
    this.profileLibrary = new ProfileLibrary(this.db, new Set(this.profiles.bundled.map((p) => p.id)));
    this.nextShot = new NextShotRecipe(
      this.db,
      (id) => this.profiles.bundled.some((p) => p.id === id) || this.profileLibrary.get(id) !== null,
    );
    this.control = control;
    this.recorder = new ShotRecorder({
      store: this.shots,
      contextFor: (token) => {
        const i = this.control.intentFor(token);
        if (!i) return null;
        const p = i.profile_slot > 0 ? this.profiles.inSlot(i.profile_slot) : null;
        return {
          profile_json: p ? JSON.stringify(p) : null,
          dose_g: i.dose_g,
          target_g: i.target_g,
          ...(i.flush ? { record: false } : {}),
        };
      },
      weightG: () => this.scaleBridge.weightG(),
      storage: this.storage,
      ...(o.log ? { log: o.log } : {}),
    });
    const configured = (key: number) => this.link.config.get(key) ?? CONFIG_KEYS.find((k) => k.id === key)?.default ?? 0;
    this.energy = new EnergyMeter(this.db, () => ({
      brew: configured(ConfigKey.brew_heater_w),
      steam: configured(ConfigKey.steam_heater_w),
    }));
    this.statistics = new Statistics(this.db, this.energy, () => this.settings.hubSettings().maintenance);
    this.link.onMessage((m) => {
      this.model.handle(m, this.link.lastRxMs);
      this.recorder.handle(m);
      if (m.type === "telemetry") this.energy.handle(m);
      if (m.type === "alarm" && m.action === AlarmAction.raised && m.severity === AlarmSeverity.critical) {
        this.control.standbyAfterTrip();
      }
      this.autotune.handle(m);
    });
    this.scheduler = new Scheduler({
      control: this.control,
      brewing: () => this.model.brewing,
      settings: () => this.settings.hubSettings(),
      ...(o.log ? { log: o.log } : {}),
    });
    this.control.onCommand(() => this.scheduler.noteActivity());
    // What the owner chose survives a restart (the mode does not: standby until turned on).
    const saved = readMetaJson<Partial<DesiredView>>(this.db, "desired", (v) => typeof v === "object" && v !== null);
    if (saved) this.control.restore(saved);
    let remembered = JSON.stringify(saved ?? null);
    this.control.onDesired((d) => {
      this.model.setDesired(d);
      const { mode: _m, ...kept } = d;
      const text = JSON.stringify(kept);
      if (text === remembered) return; // every command announces the desired state; only a change is written
      remembered = text;
      this.storage.write("remembering the machine's targets", () => writeMetaJson(this.db, "desired", kept), undefined);
    });
    // The settled cup weight arrives seconds after the shot's record: store it and tell the apps.
    this.scaleBridge.onSettled((token, grams) => {
      const shot = this.storage.write("storing a settled weight", () => this.shots.setSettledWeight(token, grams), null);
      if (shot) this.shotChanged(shot);
    });
    this.mqtt = new MqttBridge(this, this.deviceId, o.log);
    // A full disk, if the owner allows it: the oldest shots go, 50 at a time, until shots fit again.
    this.storage.onChange((st) => {
      if (st.state !== "full" || !this.settings.hubSettings().retention.make_room_when_full) return;
      const n = this.storage.write("making room", () => this.shots.deleteOldest(50), 0);
      if (n > 0)
        o.log?.("warn", `storage: the disk is full; deleted the ${n} oldest shots to make room (setting retention.make_room_when_full)`);
    });
    // Retention is applied as history grows, never while a shot is being recorded, and at once
    // when the owner shortens it (the API asked them to confirm the count first).
    this.recorder.onRecorded(() => this.applyRetention());
    let retention = JSON.stringify(this.settings.hubSettings().retention);
    this.settings.onHubChange((s) => {
      const next = JSON.stringify(s.retention);
      if (next === retention) return;
      retention = next;
      if (!this.model.brewing) this.applyRetention();
    });
  }

  /** A recorded shot changed after it was announced (its settled weight). */
  onShotUpdated(listener: (shot: ShotRecord) => void): () => void {
    this.shotUpdateListeners.add(listener);
    return () => this.shotUpdateListeners.delete(listener);
  }

  /** Tell the apps a recorded shot changed. */
  shotChanged(shot: ShotRecord): void {
    for (const l of this.shotUpdateListeners) l(shot);
  }

  start(): void {
    // A shot keeps recording across a short link loss: the controller finishes it on its own
    // limits and its shot_ended (flagged link_lost) closes the record when the link returns.
    this.link.onState((s) => this.model.setLink(s === "up"));
    this.link.start();
    this.scale.onChange((d) => this.model.setScale(d !== null, null));
    this.scale.onReading((r) => this.model.setScale(true, r.grams, r.rx_ms));
    this.scale.start();
    this.storage.start();
    this.applyRetention();
    this.energyTimer = setInterval(() => this.storage.write("counting energy", () => this.energy.flush(), undefined), 60_000);
    // Deleted shots stay as tombstones for 90 days so every phone hears of the delete; then they go.
    const collect = () => {
      const n = this.storage.write(
        "removing old tombstones",
        () => this.sync.collectTombstones(Date.now() - TOMBSTONE_DAYS * 86_400_000),
        0,
      );
      if (n > 0) this.log?.("info", `sync: ${n} deleted shot(s) older than ${TOMBSTONE_DAYS} days removed`);
    };
    collect();
    this.tombstoneTimer = setInterval(collect, 6 * 3_600_000);
    this.scheduler.start();
    this.mqtt.start();
  }

  private applyRetention(): void {
    const r = this.settings.hubSettings().retention;
    if (r.keep_days > 0 || r.keep_count > 0) this.storage.write("applying retention", () => this.shots.prune(r), 0);
  }

  async stop(): Promise<void> {
    if (this.energyTimer) clearInterval(this.energyTimer);
    if (this.tombstoneTimer) clearInterval(this.tombstoneTimer);
    this.scheduler.stop();
    await this.mqtt.stop();
    this.storage.write("counting energy", () => this.energy.flush(), undefined);
    this.storage.stop();
    this.recorder.stop();
    this.scaleBridge.stop();
    await this.scale.stop();
    await this.link.stop();
    this.db.close();
  }
}
