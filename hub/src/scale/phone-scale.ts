/**
 * @module A scale a paired phone lends the hub (the phone holds it over Web Bluetooth and forwards
 * its weight on /ws): a ScaleSource like the hub's own. One phone at a time — the first to lend
 * keeps it until it stops, goes quiet for PHONE_SCALE_STALE_MS, or its socket closes; another
 * phone is told so. Readings are dated on the hub's clock (now − the age the phone gave).
 */
import {
  PHONE_SCALE_STALE_MS,
  PHONE_SCALE_TARE_TIMEOUT_MS,
  PHONE_SCALE_VERSION,
  type PhoneScaleFromApp,
  type PhoneScaleReport,
} from "@brewos/protocol/api/phone-scale";
import { familyById } from "@brewos/protocol/scales";
import type { ScaleReading } from "./decent-scale.ts";
import type { ScaleHealth } from "./scale-connection.ts";
import { ScaleEvents } from "./scale-events.ts";
import { type ConnectedScale, type ScaleSource, scaleModelFor, type TareAnswer } from "./scale-source.ts";

type Send = (message: object) => boolean;
type Lent = NonNullable<PhoneScaleReport["scale"]>;

interface Lender {
  socket: unknown;
  send: Send;
  scale: Lent;
  lastAtMs: number;
}

export class PhoneScale extends ScaleEvents<ConnectedScale> implements ScaleSource {
  private lender: Lender | null = null;
  private usable: ConnectedScale | null = null;
  private readings = 0;
  private lastError: string | null = null;
  private nextTare = 1;
  private readonly tares = new Map<number, (ok: boolean, message?: string) => void>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  get current(): ConnectedScale | null {
    return this.usable;
  }

  /** Which phone's scale, for the scale screen (null: none lent). */
  lent(): (Lent & { age_ms: number }) | null {
    return this.lender ? { ...this.lender.scale, age_ms: this.now() - this.lender.lastAtMs } : null;
  }

  /** A message from a phone's socket; `send` answers that phone. */
  receive(socket: unknown, send: Send, m: PhoneScaleFromApp): void {
    if (m.type === "phone_scale_tared") {
      if (this.lender?.socket !== socket) return;
      this.tares.get(m.id)?.(m.ok, m.message);
      return;
    }
    if (this.lender && this.lender.socket !== socket) {
      if (m.scale) send({ type: "phone_scale_refused", v: PHONE_SCALE_VERSION, message: `the hub is using ${this.describe()}` });
      return;
    }
    if (!m.scale) {
      this.drop(socket, "the phone stopped lending its scale");
      return;
    }
    if (!familyById(m.scale.family)) {
      send({ type: "phone_scale_refused", v: PHONE_SCALE_VERSION, message: `the hub does not know the scale family "${m.scale.family}"` });
      return;
    }
    const at = this.now();
    const newest = m.readings.length ? at - Math.min(...m.readings.map((r) => r.age_ms)) : (this.lender?.lastAtMs ?? 0);
    this.lender = { socket, send, scale: m.scale, lastAtMs: newest };
    this.check(); // usable before its first reading is heard
    for (const r of m.readings) {
      this.readings++;
      const reading: ScaleReading = { grams: r.grams, stable: r.stable, rx_ms: at - r.age_ms };
      this.emitReading(reading);
    }
  }

  /** The phone's socket closed. */
  closed(socket: unknown): void {
    this.drop(socket, "the phone went away");
  }

  health(): ScaleHealth {
    return {
      connected: this.usable !== null,
      describe: this.lender ? this.describe() : null,
      readings: this.readings,
      bad_notifications: 0,
      last_reading_age_ms: this.lender?.lastAtMs ? this.now() - this.lender.lastAtMs : null,
      last_error: this.lastError,
    };
  }

  async tare(): Promise<TareAnswer> {
    if (!this.usable) return { ok: false, code: "no_scale", message: "no phone is lending a scale" };
    const ok = await this.askTare();
    return ok.ok ? { ok: true } : { ok: false, code: "no_answer", message: ok.message };
  }

  start(): void {
    this.timer ??= setInterval(() => this.check(), 200);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const answer of this.tares.values()) answer(false, "the hub is stopping");
  }

  private describe(): string {
    return this.lender ? `${this.lender.scale.name ?? this.lender.scale.family} (${this.lender.scale.family}) on a phone` : "no scale";
  }

  private askTare(): Promise<{ ok: true } | { ok: false; message: string }> {
    const lender = this.lender;
    if (!lender) return Promise.resolve({ ok: false, message: "no phone is lending a scale" });
    const id = this.nextTare++;
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => finish(false, `the phone did not answer the tare within ${PHONE_SCALE_TARE_TIMEOUT_MS / 1000} s`),
        PHONE_SCALE_TARE_TIMEOUT_MS,
      );
      const finish = (ok: boolean, message?: string) => {
        clearTimeout(timer);
        this.tares.delete(id);
        resolve(ok ? { ok: true } : { ok: false, message: message ?? "the phone could not zero the scale" });
      };
      this.tares.set(id, finish);
      if (!lender.send({ type: "phone_scale_tare", v: PHONE_SCALE_VERSION, id })) finish(false, "the phone's connection is full");
    });
  }

  /** Usable: lent, and a reading within PHONE_SCALE_STALE_MS. */
  private check(): void {
    const l = this.lender;
    const fresh = l !== null && l.lastAtMs > 0 && this.now() - l.lastAtMs < PHONE_SCALE_STALE_MS;
    if (fresh && !this.usable && l) {
      const lagMs = l.scale.lag_ms;
      this.usable = { model: scaleModelFor(l.scale.family), lagMs, tare: async () => (await this.askTare()).ok };
      this.lastError = null;
      this.emitChange(this.usable);
    } else if (!fresh && this.usable) {
      this.usable = null;
      this.lastError = `no weight from ${this.describe()} for ${PHONE_SCALE_STALE_MS} ms`;
      this.emitChange(null);
    }
  }

  private drop(socket: unknown, why: string): void {
    if (this.lender?.socket !== socket) return;
    for (const answer of this.tares.values()) answer(false, why);
    this.lender = null;
    if (this.usable) {
      this.usable = null;
      this.lastError = why;
      this.emitChange(null);
    }
  }
}
