/**
 * @module The scale brew-by-weight uses: the hub's own (Bluetooth or the simulator's) while it
 * streams, else one a phone lends. Readings pass only from the scale in use, so two scales never
 * mix in one weight curve; a change of scale is announced like any scale coming or going.
 */
import type { ScaleReading } from "./decent-scale.ts";
import type { ScaleHealth } from "./scale-connection.ts";
import type { ConnectedScale, ScaleSource, TareAnswer } from "./scale-source.ts";

export type ScaleInUse = "own" | "phone" | null;

export class PreferredScale implements ScaleSource {
  private inUse: ConnectedScale | null = null;
  private readonly readingListeners = new Set<(r: ScaleReading) => void>();
  private readonly changeListeners = new Set<(d: ConnectedScale | null) => void>();

  constructor(
    readonly own: ScaleSource | null,
    readonly phone: ScaleSource,
  ) {
    own?.onChange(() => this.recompute());
    phone.onChange(() => this.recompute());
    own?.onReading((r) => {
      if (this.which() === "own") this.emit(r);
    });
    phone.onReading((r) => {
      if (this.which() === "phone") this.emit(r);
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

  onReading(listener: (r: ScaleReading) => void): () => void {
    this.readingListeners.add(listener);
    return () => this.readingListeners.delete(listener);
  }

  onChange(listener: (d: ConnectedScale | null) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
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

  private emit(r: ScaleReading): void {
    for (const l of this.readingListeners) l(r);
  }

  private recompute(): void {
    const next = this.current;
    if (next === this.inUse) return;
    // From one scale straight to another: brew-by-weight hears the old one go, then the new one come.
    if (this.inUse && next) for (const l of this.changeListeners) l(null);
    this.inUse = next;
    for (const l of this.changeListeners) l(next);
  }
}
