/**
 * @module The phone's side of lending its scale to the hub (phone-scale.ts has the messages): the
 * readings since the last send go out about every 100 ms with their age; when the scale stops being
 * usable (lost, stale, forgotten, lending turned off, refused) the hub is told once; a tare the hub
 * asks for runs on the phone's scale (confirmed zero) and is answered. No IO of its own: `send` is
 * the phone's /ws, the scale is the shared connection manager.
 */
import type { ScaleStatus, TareResult, WeightReading } from "../../scales/src/manager.ts";
import { PHONE_SCALE_STALE_MS, PHONE_SCALE_VERSION, type PhoneScaleReport, type PhoneScaleToApp } from "./phone-scale.ts";

/** The scale as the lender needs it (a ScaleManager satisfies it). */
export interface LendableScale {
  readonly current: ScaleStatus;
  readonly currentLag_s: number | null;
  tare(): Promise<TareResult>;
}

export interface LenderOptions {
  /** Send to the hub; false when it cannot be sent now (offline). */
  send: (message: object) => boolean;
  now?: () => number;
  /** The hub will not use this phone's scale (another phone's is in use). */
  onRefused?: (message: string) => void;
}

const MAX_BATCH = 50;

export class PhoneScaleLender {
  private scale: LendableScale | null = null;
  private pending: WeightReading[] = [];
  private lent = false;
  private lending = true;
  private refusal: string | null = null;
  private readonly now: () => number;

  constructor(private readonly o: LenderOptions) {
    this.now = o.now ?? Date.now;
  }

  /** The scale to lend (null: none on this phone any more). */
  use(scale: LendableScale | null): void {
    this.scale = scale;
    this.refusal = null;
    this.tick();
  }

  /** The owner's choice: lend it or not. */
  setLending(on: boolean): void {
    this.lending = on;
    this.refusal = null;
    this.tick();
  }

  get refused(): string | null {
    return this.refusal;
  }

  /** A reading from the scale, to go out with the next send. */
  reading(w: WeightReading): void {
    this.pending.push(w);
    if (this.pending.length > MAX_BATCH) this.pending.shift();
  }

  /** Send what there is (call every PHONE_SCALE_SEND_EVERY_MS). */
  tick(): void {
    const s = this.scale?.current;
    const usable = this.lending && !this.refusal && s?.state === "connected" && !s.stale && s.scale;
    if (!usable || !s?.scale) {
      this.pending = [];
      if (this.lent && this.o.send({ type: "phone_scale", v: PHONE_SCALE_VERSION, scale: null, readings: [] })) this.lent = false;
      return;
    }
    const now = this.now();
    const fresh = this.pending.splice(0).filter((w) => now - w.at_ms < PHONE_SCALE_STALE_MS * 5);
    if (fresh.length === 0 && this.lent) return; // nothing new: the hub goes on the last message
    const report: PhoneScaleReport = {
      type: "phone_scale",
      v: PHONE_SCALE_VERSION,
      scale: {
        name: s.scale.name.slice(0, 64),
        family: s.scale.family,
        lag_ms: Math.round((this.scale?.currentLag_s ?? 0) * 1000),
        battery_pct: s.battery_pct,
      },
      readings: fresh.map((w) => ({ grams: w.grams, stable: w.stable === true, age_ms: Math.max(0, now - w.at_ms) })),
    };
    if (this.o.send(report)) this.lent = true;
  }

  /** A message from the hub about the lent scale. */
  async receive(m: PhoneScaleToApp): Promise<void> {
    if (m.type === "phone_scale_refused") {
      this.refusal = m.message;
      this.lent = false;
      this.o.onRefused?.(m.message);
      return;
    }
    const r: TareResult = this.scale ? await this.scale.tare() : { ok: false, code: "no_scale", message: "this phone has no scale" };
    this.o.send({
      type: "phone_scale_tared",
      v: PHONE_SCALE_VERSION,
      id: m.id,
      ok: r.ok,
      ...(r.ok ? {} : { message: r.message.slice(0, 200) }),
    });
  }
}
