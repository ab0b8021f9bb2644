/**
 * @module The scale brew-by-weight uses: the hub's own (Bluetooth or the simulator's) while it
 * streams, else one a phone lends. Readings pass only from the scale in use, so two scales never
 * mix in one weight curve; a change of scale is announced like any scale coming or going.
 */
import type { ScaleHealth } from "./scale-connection.ts";
import { ScaleEvents } from "./scale-events.ts";
import type { ConnectedScale, ScaleSource, TareAnswer } from "./scale-source.ts";

export type ScaleInUse = "own" | "phone" | null;

export class PreferredScale extends ScaleEvents<ConnectedScale> implements ScaleSource {
  private inUse: ConnectedScale | null = null;

  constructor(
    readonly own: ScaleSource | null,
    readonly phone: ScaleSource,
  ) {
    super();
    own?.onChange(() => this.recompute());
    phone.onChange(() => this.recompute());
    own?.onReading((r) => {
      if (this.which() === "own") this.emitReading(r);
    });
    phone.onReading((r) => {
      if (this.which() === "phone") this.emitReading(r);
    });
  }

  get current(): ConnectedScale | null {
    return this.own?.current ?? this.phone.current;
  }

  /** Whose scale brew-by-weight uses now. */
  which(): ScaleInUse {
    if (this.own?.current) return "own";
    return this.phone.current ? "phone" : null;
  }

  health(): ScaleHealth {
    return this.which() === "phone" || !this.own ? this.phone.health() : this.own.health();
  }

  tare(): Promise<TareAnswer> {
    const w = this.which();
    if (w === "own" && this.own) return this.own.tare();
    if (w === "phone") return this.phone.tare();
    if (this.own) return this.own.tare(); // says why its own scale cannot
    return Promise.resolve({ ok: false, code: "no_scale", message: "no scale is connected" });
  }

  start(): void {
    this.own?.start();
    this.phone.start();
  }

  async stop(): Promise<void> {
    await Promise.all([this.own?.stop(), this.phone.stop()]);
  }

  private recompute(): void {
    const next = this.current;
    if (next === this.inUse) return;
    // From one scale straight to another: brew-by-weight hears the old one go, then the new one come.
    if (this.inUse && next) this.emitChange(null);
    this.inUse = next;
    this.emitChange(next);
  }
}
