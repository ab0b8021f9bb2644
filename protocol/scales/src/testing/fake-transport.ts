/**
 * Test helpers: a clock the test moves by hand, and scripted scales behind a fake transport — they
 * advertise, accept connections (or refuse them while powered off), stream weight in their family's
 * format, answer tares after a chosen delay (or never), go quiet, lose their subscription, or
 * vanish, as real scales do.
 */
import type { ScaleFamily } from "../family.ts";
import type { Clock, FoundScale, ScaleLink, ScaleTransport } from "../transport.ts";

export class ManualClock implements Clock {
  private t = 0;
  private seq = 0;
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.due.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.due.delete(h as number);
  }
  /** Move time forward in 10 ms steps, running what falls due and letting promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    while (this.t < end) {
      this.t = Math.min(end, this.t + 10);
      for (;;) {
        const next = [...this.due.entries()].filter(([, d]) => d.at <= this.t).sort((a, b) => a[1].at - b[1].at)[0];
        if (!next) break;
        this.due.delete(next[0]);
        next[1].fn();
        await settle();
      }
      await settle();
    }
  }
}

export const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

export interface Written {
  at: number;
  characteristic: string;
  bytes: Uint8Array;
  withoutResponse: boolean;
}

/** One scripted scale. `encode(g)` makes its weight notification. */
export class FakeScale {
  weight_g = 0;
  offset_g = 0;
  period_ms = 100;
  /** ms from a tare write to reading zero; null: the tare never takes. */
  tareDelay_ms: number | null = 300;
  powered = true;
  /** Connects refused this many more times (a scale still booting). */
  refuseConnects = 0;
  streaming = true;
  subscribed = false;
  readonly writes: Written[] = [];
  connects = 0;
  private link: { close: (r: string) => void; emit: (b: Uint8Array) => void } | null = null;
  private tick: unknown = null;

  constructor(
    readonly found: FoundScale,
    readonly family: ScaleFamily,
    readonly encode: (grams: number) => Uint8Array,
    private readonly clock: ManualClock,
    readonly services = [family.gatt[0]?.service ?? ""],
  ) {}

  attach(emit: (b: Uint8Array) => void, close: (reason: string) => void): void {
    this.link = { emit, close };
    this.subscribed = true;
    const loop = () => {
      if (this.link && this.streaming && this.subscribed && this.powered) this.link.emit(this.encode(this.weight_g - this.offset_g));
      this.tick = this.clock.setTimeout(loop, this.period_ms);
    };
    if (this.tick === null) this.tick = this.clock.setTimeout(loop, this.period_ms);
  }

  received(w: Written, isTare: (b: Uint8Array) => boolean): void {
    this.writes.push({ ...w, at: this.clock.now() });
    if (isTare(w.bytes) && this.tareDelay_ms !== null) {
      const at = this.weight_g;
      this.clock.setTimeout(() => {
        this.offset_g = at;
      }, this.tareDelay_ms);
    }
  }

  powerOff(): void {
    this.powered = false;
    this.link?.close("the scale was switched off");
    this.link = null;
  }

  detach(): void {
    this.link = null;
  }
}

/** A transport over fake scales; a scan reports every powered scale once. */
export class FakeTransport implements ScaleTransport {
  scans = 0;
  constructor(
    readonly scales: FakeScale[],
    private readonly isTare: (s: FakeScale, b: Uint8Array) => boolean,
  ) {}

  async scan(onFound: (s: FoundScale) => void): Promise<() => Promise<void>> {
    this.scans++;
    let on = true;
    queueMicrotask(() => {
      for (const s of this.scales) if (on && s.powered) onFound(s.found);
    });
    return async () => {
      on = false;
    };
  }

  async connect(id: string): Promise<ScaleLink> {
    const s = this.scales.find((x) => x.found.id === id);
    if (!s?.powered) throw new Error("no such device in range");
    if (s.refuseConnects > 0) {
      s.refuseConnects--;
      throw new Error("connection attempt failed");
    }
    s.connects++;
    let closeCb: ((r: string) => void) | null = null;
    let handler: ((b: Uint8Array) => void) | null = null;
    let open = true;
    const link: ScaleLink = {
      services: s.services,
      subscribe: async (_svc, ch, onValue) => {
        if (!open) throw new Error("not connected");
        if (ch !== s.family.gatt[0]?.notify[0]) return;
        handler = onValue; // a re-subscribe replaces the callback, as BlueZ and Web Bluetooth do
        s.attach(
          (b) => handler?.(b),
          (r) => {
            if (!open) return;
            open = false;
            closeCb?.(r);
          },
        );
      },
      write: async (_svc, characteristic, bytes, withoutResponse) => {
        if (!open) throw new Error("not connected");
        s.received({ at: 0, characteristic, bytes, withoutResponse }, (b) => this.isTare(s, b));
      },
      onClose: (cb) => {
        closeCb = cb;
      },
      close: async () => {
        open = false;
        s.detach();
      },
    };
    return link;
  }
}
