/**
 * @module A real Bluetooth scale for the hub: the shared connection manager (protocol/scales) over
 * a transport (BlueZ on the board), seen through the hub's ScaleSource. Usable means connected and
 * not stale; the moment it goes stale brew-by-weight hears "no scale" and falls back.
 */
import { type RememberedScale, ScaleManager, type ScaleStatus, type ScaleTransport } from "@brewos/protocol/scales";
import type { ScaleReading } from "./decent-scale.ts";
import type { ScaleHealth } from "./scale-connection.ts";
import { ScaleEvents } from "./scale-events.ts";
import { type ConnectedScale, type PairableScale, type ScaleSource, scaleModelFor, type TareAnswer } from "./scale-source.ts";

export interface ManagedScaleOptions {
  transport: ScaleTransport;
  remembered: RememberedScale[];
  /** Persist the remembered list (pairing, forgetting, last good). */
  onRemembered?: (list: RememberedScale[]) => void;
  log?: (level: "info" | "warn", text: string) => void;
}

export class ManagedScale extends ScaleEvents<ConnectedScale> implements ScaleSource, PairableScale {
  readonly manager: ScaleManager;
  private usable: ConnectedScale | null = null;
  private readings = 0;
  private lastError: string | null = null;
  private lastFound: Awaited<ReturnType<ScaleManager["discover"]>> = [];
  private readonly rememberedListeners = new Set<(list: RememberedScale[]) => void>();

  constructor(private readonly o: ManagedScaleOptions) {
    super();
    this.manager = new ScaleManager({
      transport: o.transport,
      remembered: o.remembered,
      onRemembered: (list) => {
        o.onRemembered?.(list);
        for (const l of this.rememberedListeners) l(list);
      },
      onStatus: (s) => this.status(s),
      onWeight: (w) => {
        this.readings++;
        const r: ScaleReading = { grams: w.grams, stable: w.stable === true, rx_ms: w.at_ms };
        this.emitReading(r);
      },
    });
  }

  get current(): ConnectedScale | null {
    return this.usable;
  }

  health(): ScaleHealth {
    const s = this.manager.current;
    return {
      connected: this.usable !== null,
      describe: s.scale ? `${s.scale.name} (${s.scale.family}) over Bluetooth` : null,
      readings: this.readings,
      bad_notifications: s.corrupt_frames,
      last_reading_age_ms: s.last_weight_ms === null ? null : Date.now() - s.last_weight_ms,
      last_error: s.last_error ?? this.lastError,
    };
  }

  async tare(): Promise<TareAnswer> {
    const r = await this.manager.tare();
    if (r.ok) return { ok: true };
    return { ok: false, code: r.code === "no_scale" ? "no_scale" : "no_answer", message: r.message };
  }

  start(): void {
    this.manager.start();
  }

  async discover(seconds: number) {
    this.lastFound = await this.manager.discover(Math.max(0.5, Math.min(30, seconds)) * 1000);
    return this.lastFound.map((f) => ({ id: f.id, name: f.name, family: f.family, ...(f.rssi !== undefined ? { rssi: f.rssi } : {}) }));
  }

  pair(id: string): boolean {
    const f = this.lastFound.find((x) => x.id === id);
    if (!f) return false;
    this.manager.pair(f);
    return true;
  }

  forget(id: string): void {
    this.manager.forget(id);
  }

  remembered(): RememberedScale[] {
    return this.manager.rememberedScales;
  }

  setRemembered(list: RememberedScale[]): void {
    this.manager.setRemembered(list);
  }

  onRememberedChange(listener: (list: RememberedScale[]) => void): void {
    this.rememberedListeners.add(listener);
  }

  detail() {
    const s = this.manager.current;
    return { state: s.state, stale: s.stale, battery_pct: s.battery_pct, family: s.scale?.family ?? null, name: s.scale?.name ?? null };
  }

  async stop(): Promise<void> {
    await this.manager.stop();
  }

  private status(s: ScaleStatus): void {
    const ok = s.state === "connected" && !s.stale && s.scale !== null;
    if (ok && !this.usable && s.scale) {
      const family = s.scale.family;
      const lagMs = Math.round((this.manager.currentLag_s ?? 0.38) * 1000);
      this.usable = { model: scaleModelFor(family), lagMs, tare: async () => (await this.manager.tare()).ok };
      this.o.log?.("info", `scale: ${s.scale.name} streaming`);
      this.emitChange(this.usable);
    } else if (!ok && this.usable) {
      this.usable = null;
      this.lastError = s.last_error;
      this.o.log?.("warn", `scale: ${s.stale ? "no weight" : s.state}${s.last_error ? ` (${s.last_error})` : ""}`);
      this.emitChange(null);
    }
  }
}
