/**
 * @module Keeps one scale connected: connects through a GattConnector, builds the driver, reconnects
 * with backoff when the scale goes away (battery, range, a simulator restart), and reports health.
 */

import { Backoff } from "../controller-link/backoff.ts";
import { DecentScale, type ScaleDriver } from "./decent-scale.ts";
import type { GattConnector, GattLink } from "./gatt-link.ts";
import { ScaleEvents } from "./scale-events.ts";

export interface ScaleHealth {
  connected: boolean;
  describe: string | null;
  readings: number;
  bad_notifications: number;
  last_reading_age_ms: number | null;
  last_error: string | null;
}

export interface ScaleConnectionOptions {
  connect: GattConnector;
  /** The driver for what `connect` reaches (the Decent Scale by default). */
  driver?: (link: GattLink) => ScaleDriver;
  log?: (level: "info" | "warn", text: string) => void;
}

export class ScaleConnection extends ScaleEvents<ScaleDriver> {
  private driver: ScaleDriver | null = null;
  private link: GattLink | null = null;
  private stopped = true;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly backoff = new Backoff({ initialMs: 250, maxMs: 10_000 });
  private readings = 0;
  private bad = 0;
  private lastRxMs: number | null = null;
  private lastError: string | null = null;

  constructor(private readonly o: ScaleConnectionOptions) {
    super();
  }

  get current(): ScaleDriver | null {
    return this.driver;
  }

  /** Zero the scale now (the owner's Tare): an answer either way, with the reason when not done. */
  async tare(): Promise<{ ok: true } | { ok: false; code: "no_scale" | "no_answer"; message: string }> {
    const d = this.current;
    if (!d) return { ok: false, code: "no_scale", message: "no scale is connected" };
    return (await d.tare()) ? { ok: true } : { ok: false, code: "no_answer", message: "the scale did not confirm the tare" };
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const link = this.link;
    this.drop();
    await link?.close();
  }

  health(): ScaleHealth {
    return {
      connected: this.driver !== null,
      describe: this.link?.describe ?? null,
      readings: this.readings,
      bad_notifications: this.bad + (this.driver?.badNotifications ?? 0),
      last_reading_age_ms: this.lastRxMs === null ? null : Date.now() - this.lastRxMs,
      last_error: this.lastError,
    };
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let driver: ScaleDriver | null = null;
    let link: GattLink | null = null;
    try {
      link = await this.o.connect({
        onNotify: (c, v) => driver?.notify(c, v),
        onClose: (reason) => {
          if (!link || this.link !== link) return;
          this.lastError = reason;
          this.o.log?.("warn", `scale: ${reason}`);
          this.drop();
          this.retry();
        },
      });
      if (this.stopped) {
        await link.close();
        return;
      }
      driver = (this.o.driver ?? ((l) => new DecentScale(l)))(link);
      driver.onReading((r) => {
        this.readings++;
        this.lastRxMs = r.rx_ms;
        this.emitReading(r);
      });
      this.link = link;
      this.driver = driver;
      this.backoff.reset();
      this.o.log?.("info", `scale: connected (${link.describe})`);
      this.emitChange(driver);
    } catch (e) {
      this.lastError = (e as Error).message;
      this.retry();
    }
  }

  private drop(): void {
    if (!this.driver) return;
    this.bad += this.driver.badNotifications;
    this.driver.stop();
    this.driver = null;
    this.link = null;
    this.emitChange(null);
  }

  private retry(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.connect(), this.backoff.next());
  }
}
