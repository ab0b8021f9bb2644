/**
 * @module Keeps one Bluetooth scale usable, on the hub and in the app alike (transport injected):
 * finds a remembered scale (never a stranger that happens to be nearby), connects, subscribes, sends
 * the family's handshake and keep-alive, spaces and repeats commands as the family needs, notices a
 * stream gone quiet (stale after 1 s; re-subscribes, because operating systems drop subscriptions
 * silently; reconnects when that does not help), reconnects with backoff after a power cycle, and
 * confirms a tare by reading zero — a tare that does not read zero is reported, never assumed.
 * Nothing a scale does can throw into the caller or block it.
 */

import { familyById, familyFor } from "./families.ts";
import type { ScaleCommand, ScaleEvent, ScaleFamily } from "./family.ts";
import { type Clock, type FoundScale, realClock, type ScaleLink, type ScaleTransport } from "./transport.ts";

export interface RememberedScale {
  id: string;
  name: string;
  family: string;
  /** When it last streamed weight for us; the most recent is preferred. */
  last_good_ms: number | null;
}

export type ScaleState = "off" | "scanning" | "connecting" | "connected" | "reconnecting";

export interface ScaleStatus {
  state: ScaleState;
  scale: RememberedScale | null;
  /** Connected but no weight for longer than `staleAfter_ms`: brew-by-weight must not trust it. */
  stale: boolean;
  battery_pct: number | null;
  last_weight_g: number | null;
  last_weight_ms: number | null;
  reconnects: number;
  resubscribes: number;
  corrupt_frames: number;
  last_error: string | null;
}

/** A manager's status before it has a scale. */
export const SCALE_OFF: Readonly<ScaleStatus> = {
  state: "off",
  scale: null,
  stale: false,
  battery_pct: null,
  last_weight_g: null,
  last_weight_ms: null,
  reconnects: 0,
  resubscribes: 0,
  corrupt_frames: 0,
  last_error: null,
};

export interface WeightReading {
  grams: number;
  /** The scale's own stable flag, where its protocol has one. */
  stable?: boolean;
  at_ms: number;
  /** The family's lag from the pan to this reading, for brew-by-weight. */
  lag_s: number;
  family: string;
}

export type TareResult = { ok: true; attempts: number } | { ok: false; code: "no_scale" | "not_zeroed"; message: string };

export interface ScaleManagerOptions {
  transport: ScaleTransport;
  clock?: Clock;
  remembered?: RememberedScale[];
  onWeight?: (w: WeightReading) => void;
  onStatus?: (s: ScaleStatus) => void;
  /** The remembered list changed (a pairing, a forget, a last-good time): persist it. */
  onRemembered?: (list: RememberedScale[]) => void;
  staleAfter_ms?: number;
  /** Re-subscribe this long into a quiet spell; reconnect after `reconnectQuiet_ms`. */
  resubscribeQuiet_ms?: number;
  reconnectQuiet_ms?: number;
  /** Re-subscribe even when streaming, this often (Decenza#93: subscriptions vanish). */
  resubscribeEvery_ms?: number;
  tareWindow_ms?: number;
  tareTolerance_g?: number;
  tareRetries?: number;
}

const WATCH_MS = 250;
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 10_000;
/** A zero read within this long of the tare is the old weight still settling (de1app's hold-off). */
const TARE_HOLD_OFF_MS = 200;
/** How long a scan waits for the preferred remembered scale once another remembered one is seen. */
const PREFER_WAIT_MS = 1500;

export class ScaleManager {
  private readonly clock: Clock;
  private remembered: RememberedScale[];
  private state: ScaleState = "off";
  private scale: RememberedScale | null = null;
  private family: ScaleFamily | null = null;
  private link: ScaleLink | null = null;
  private service = "";
  private write = "";
  private withoutResponse = false;
  private stopScan: (() => Promise<void>) | null = null;
  private timers = new Set<unknown>();
  private keepAlive: unknown = null;
  private watch: unknown = null;
  private backoffMs = BACKOFF_MIN_MS;
  private running = false;
  private generation = 0;
  private queue: Promise<void> = Promise.resolve();
  private lastSendMs = -Infinity;
  private lastResubscribeMs = 0;
  /** A running count for commands that carry one (the Decent Scale's tare). */
  private seq = 0;
  private status: ScaleStatus = { ...SCALE_OFF };
  private readonly weightWaiters = new Set<(g: number, at: number) => void>();

  constructor(private readonly o: ScaleManagerOptions) {
    this.clock = o.clock ?? realClock;
    this.remembered = [...(o.remembered ?? [])];
  }

  get current(): ScaleStatus {
    return { ...this.status };
  }

  /** The connected family's measurement lag, seconds (null: none connected). */
  get currentLag_s(): number | null {
    return this.family?.lag_s ?? null;
  }

  get rememberedScales(): RememberedScale[] {
    return [...this.remembered];
  }

  /** Replace the remembered list (loaded from storage); a running manager looks for them. */
  setRemembered(list: RememberedScale[]): void {
    this.remembered = [...list];
    if (this.running && this.state === "off" && list.length > 0) void this.find();
  }

  /** Start keeping the preferred remembered scale connected (nothing to do without one). */
  start(): void {
    this.running = true;
    if (this.remembered.length > 0) void this.find();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.generation++;
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
    await this.endScan();
    await this.drop();
    this.set({ state: "off", stale: false });
  }

  /** Scales nearby that a family recognises, for the owner to choose from (scanning `ms`). */
  async discover(ms: number): Promise<(FoundScale & { family: string })[]> {
    const seen = new Map<string, FoundScale & { family: string }>();
    const stop = await this.o.transport.scan((s) => {
      const fam = familyFor(s.name);
      if (fam) seen.set(s.id, { ...s, family: fam.id });
    });
    await this.sleep(ms);
    await stop().catch(() => {});
    return [...seen.values()];
  }

  /** The owner chose this scale: remember it and use it from now on. */
  pair(s: FoundScale & { family?: string }): void {
    const family = s.family ?? familyFor(s.name)?.id;
    if (!family) return;
    this.remembered = [{ id: s.id, name: s.name ?? family, family, last_good_ms: null }, ...this.remembered.filter((r) => r.id !== s.id)];
    this.o.onRemembered?.(this.rememberedScales);
    void this.drop().then(() => this.connectTo(this.remembered[0] as RememberedScale));
  }

  forget(id: string): void {
    this.remembered = this.remembered.filter((r) => r.id !== id);
    this.o.onRemembered?.(this.rememberedScales);
    if (this.scale?.id === id) void this.drop().then(() => this.set({ state: "off", scale: null }));
  }

  /** Zero the scale and confirm it reads zero; retried, then reported. Never resolves "ok" on a guess. */
  async tare(): Promise<TareResult> {
    const attempts = 1 + (this.o.tareRetries ?? 1);
    const tol = this.o.tareTolerance_g ?? 0.05;
    const windowMs = this.o.tareWindow_ms ?? 1500;
    let last: number | null = null;
    for (let a = 1; a <= attempts; a++) {
      if (this.state !== "connected" || !this.family) return { ok: false, code: "no_scale", message: "no scale is connected" };
      const sent = this.clock.now();
      this.send("tare");
      const zero = await this.waitWeight((g, at) => {
        last = g;
        return at - sent >= TARE_HOLD_OFF_MS && Math.abs(g) < tol;
      }, windowMs);
      if (zero) return { ok: true, attempts: a };
    }
    return {
      ok: false,
      code: "not_zeroed",
      message: `the scale did not read zero within ${windowMs / 1000} s, ${attempts} tries (last ${last === null ? "no reading" : `${last} g`})`,
    };
  }

  /** Send a command the family knows; false when it has none or no scale is connected. */
  command(c: ScaleCommand): boolean {
    if (this.state !== "connected") return false;
    return this.send(c);
  }

  private set(p: Partial<ScaleStatus>): void {
    this.status = { ...this.status, ...p };
    if (p.state) this.state = p.state;
    this.o.onStatus?.(this.current);
  }

  private later(fn: () => void, ms: number): unknown {
    const h = this.clock.setTimeout(() => {
      this.timers.delete(h);
      fn();
    }, ms);
    this.timers.add(h);
    return h;
  }

  private cancel(h: unknown): void {
    if (h === null) return;
    this.clock.clearTimeout(h);
    this.timers.delete(h);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((r) => this.later(r, ms));
  }

  private waitWeight(ok: (g: number, at: number) => boolean, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiter = (g: number, at: number) => {
        if (!ok(g, at)) return;
        this.weightWaiters.delete(waiter);
        this.cancel(t);
        resolve(true);
      };
      const t = this.later(() => {
        this.weightWaiters.delete(waiter);
        resolve(false);
      }, ms);
      this.weightWaiters.add(waiter);
    });
  }

  /** Scan for remembered scales; take the most recently good one seen (waiting briefly for it). */
  private async find(): Promise<void> {
    if (!this.running) return;
    const gen = this.generation;
    this.set({ state: this.status.reconnects > 0 ? "reconnecting" : "scanning" });
    const order = [...this.remembered].sort((a, b) => (b.last_good_ms ?? 0) - (a.last_good_ms ?? 0));
    let best: RememberedScale | null = null;
    let chosen = false;
    const choose = (r: RememberedScale) => {
      if (chosen || gen !== this.generation) return;
      chosen = true;
      void this.endScan().then(() => this.connectTo(r));
    };
    try {
      this.stopScan = await this.o.transport.scan((s) => {
        const r = order.find((x) => x.id === s.id);
        if (!r) return; // a scale nearby that is not ours: never switched to
        if (r === order[0]) return choose(r);
        if (!best || order.indexOf(r) < order.indexOf(best)) best = r;
        this.later(() => best && choose(best), PREFER_WAIT_MS);
      });
    } catch (e) {
      this.fail(`scan failed: ${(e as Error).message}`);
    }
  }

  private async endScan(): Promise<void> {
    const stop = this.stopScan;
    this.stopScan = null;
    if (stop) await stop().catch(() => {});
  }

  private async connectTo(r: RememberedScale): Promise<void> {
    const gen = this.generation;
    const family = familyById(r.family);
    if (!family) return this.fail(`no codec for family ${r.family}`);
    this.set({ state: "connecting", scale: r });
    let link: ScaleLink;
    try {
      link = await this.o.transport.connect(r.id);
    } catch (e) {
      return this.fail(`connect failed: ${(e as Error).message}`);
    }
    if (gen !== this.generation || !this.running) return void link.close().catch(() => {});
    const layout = family.gatt.find((g) => link.services.includes(g.service));
    if (!layout) {
      await link.close().catch(() => {});
      return this.fail(`${r.name} has none of the ${family.label} services`);
    }
    const decoder = family.decoder();
    const onValue = (ch: string) => (v: Uint8Array) => {
      if (this.link === link) this.events(decoder.push(v, ch));
    };
    try {
      for (const ch of layout.notify) await link.subscribe(layout.service, ch, onValue(ch));
    } catch (e) {
      await link.close().catch(() => {});
      return this.fail(`subscribe failed: ${(e as Error).message}`);
    }
    this.link = link;
    this.family = family;
    this.scale = r;
    this.service = layout.service;
    this.write = layout.write;
    this.withoutResponse = layout.writeWithoutResponse === true;
    this.lastResubscribeMs = this.clock.now();
    link.onClose((reason) => {
      if (this.link !== link) return;
      this.link = null;
      this.fail(`the scale went away: ${reason}`);
    });
    this.set({ state: "connected", scale: r, stale: false, last_error: null });
    for (const b of family.handshake?.() ?? []) this.enqueue(b, this.write);
    this.armKeepAlive();
    this.armWatch(layout.notify, onValue);
  }

  private events(evs: ScaleEvent[]): void {
    for (const e of evs) {
      if (e.kind === "corrupt") this.set({ corrupt_frames: this.status.corrupt_frames + 1 });
      else if (e.kind === "battery") this.set({ battery_pct: e.percent });
      else if (e.kind === "weight") {
        const at = this.clock.now();
        this.backoffMs = BACKOFF_MIN_MS;
        const fam = this.family as ScaleFamily;
        if (this.scale && (this.scale.last_good_ms === null || at - this.scale.last_good_ms > 60_000)) {
          this.scale = { ...this.scale, last_good_ms: at };
          const s = this.scale;
          this.remembered = this.remembered.map((r) => (r.id === s.id ? s : r));
          this.o.onRemembered?.(this.rememberedScales);
        }
        this.status = { ...this.status, last_weight_g: e.grams, last_weight_ms: at, scale: this.scale };
        if (this.status.stale) this.set({ stale: false });
        this.o.onWeight?.({
          grams: e.grams,
          ...(e.stable !== undefined ? { stable: e.stable } : {}),
          at_ms: at,
          lag_s: fam.lag_s,
          family: fam.id,
        });
        for (const w of [...this.weightWaiters]) w(e.grams, at);
      }
    }
  }

  private armKeepAlive(): void {
    const ka = this.family?.keepAlive;
    if (!ka) return;
    const tick = () => {
      if (this.state !== "connected") return;
      for (const b of ka.bytes()) this.enqueue(b, ka.characteristic ?? this.write);
      this.keepAlive = this.later(tick, ka.every_ms);
    };
    this.keepAlive = this.later(tick, ka.every_ms);
  }

  /** Stale after `staleAfter_ms`; re-subscribe when quiet (and every so often); reconnect when that fails. */
  private armWatch(notify: string[], onValue: (ch: string) => (v: Uint8Array) => void): void {
    const staleMs = this.o.staleAfter_ms ?? 1000;
    const resubQuiet = this.o.resubscribeQuiet_ms ?? 3000;
    const reconnectQuiet = this.o.reconnectQuiet_ms ?? 10_000;
    const every = this.o.resubscribeEvery_ms ?? 30_000;
    const link = this.link;
    const connectedAt = this.clock.now();
    const tick = async () => {
      if (this.link !== link || !link) return;
      const now = this.clock.now();
      const quiet = now - (this.status.last_weight_ms ?? connectedAt);
      if (quiet > staleMs && !this.status.stale) this.set({ stale: true });
      const sinceResub = now - this.lastResubscribeMs;
      if ((quiet > resubQuiet && sinceResub > resubQuiet) || sinceResub > every) {
        this.lastResubscribeMs = now;
        this.set({ resubscribes: this.status.resubscribes + 1 });
        for (const ch of notify) await link.subscribe(this.service, ch, onValue(ch)).catch(() => {});
      }
      if (quiet > reconnectQuiet) {
        this.link = null;
        await link.close().catch(() => {});
        return this.fail(`no weight for ${Math.round(quiet / 1000)} s`);
      }
      this.watch = this.later(() => void tick(), WATCH_MS);
    };
    this.watch = this.later(() => void tick(), WATCH_MS);
  }

  private send(c: ScaleCommand): boolean {
    const fam = this.family;
    const frames = fam?.command(c, ++this.seq);
    if (!fam || !frames) return false;
    for (let k = 0; k < (fam.repeatCommands ?? 1); k++) for (const b of frames) this.enqueue(b, this.write, k > 0 ? 250 : 0);
    return true;
  }

  /** Writes go one at a time, `minCommandSpacing_ms` apart; a failed write is counted, not thrown. */
  private enqueue(b: Uint8Array, characteristic: string, extraGapMs = 0): void {
    const link = this.link;
    const fam = this.family;
    if (!link || !fam) return;
    this.queue = this.queue.then(async () => {
      const gap = this.lastSendMs + fam.minCommandSpacing_ms + extraGapMs - this.clock.now();
      if (gap > 0) await this.sleep(gap);
      if (this.link !== link) return;
      this.lastSendMs = this.clock.now();
      await link
        .write(this.service, characteristic, b, this.withoutResponse)
        .catch((e: Error) => this.set({ last_error: `write failed: ${e.message}` }));
    });
  }

  /** Stop the keep-alive and the watch and let go of the link; returns the link it held. */
  private disarm(): ScaleLink | null {
    this.cancel(this.keepAlive);
    this.cancel(this.watch);
    this.keepAlive = this.watch = null;
    const link = this.link;
    this.link = null;
    this.family = null;
    return link;
  }

  private async drop(): Promise<void> {
    await this.disarm()
      ?.close()
      .catch(() => {});
  }

  /** Something went wrong: say so, and try again later with backoff (never give up while started). */
  private fail(reason: string): void {
    this.disarm();
    this.set({ state: this.running ? "reconnecting" : "off", stale: true, last_error: reason });
    if (!this.running) return;
    const wait = this.backoffMs;
    this.backoffMs = Math.min(BACKOFF_MAX_MS, this.backoffMs * 2);
    this.later(() => {
      this.set({ reconnects: this.status.reconnects + 1 });
      void this.find();
    }, wait);
  }
}
