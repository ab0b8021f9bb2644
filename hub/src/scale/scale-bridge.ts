/**
 * @module The hub's brew-by-weight duties between the scale and the controller: announce the scale
 * (scale_info), stream every reading as a weight_sample with its age, tare before each shot, and
 * after each shot measure the settled cup weight (the real yield, drips included); after a weight
 * stop report it to the controller (shot_settled) so it learns its stop correction. The stop
 * decision itself is the controller's.
 */
import { StopReason, WeightFlags } from "@brewos/protocol/uart";
import type { ControllerLink } from "../controller-link/controller-link.ts";
import type { ScaleReading } from "./decent-scale.ts";
import type { ConnectedScale, ScaleSource } from "./scale-source.ts";

/** The cup has settled when no reading moved more than SETTLE_BAND_G for SETTLE_QUIET_MS, at least SETTLE_MIN_MS after the stop. */
const SETTLE_BAND_G = 0.1;
const SETTLE_QUIET_MS = 1000;
const SETTLE_MIN_MS = 2000;
/** Give up settling after this long (the cup was taken away, or it keeps dripping). */
const SETTLE_GIVE_UP_MS = 15_000;

interface Settling {
  token: number;
  /** Stopped on weight: the controller learns from the settled weight. */
  teach: boolean;
  stoppedAtMs: number;
  quietSinceMs: number;
  lo: number;
  hi: number;
}

export class ScaleBridge {
  private latest: ScaleReading | null = null;
  private settling: Settling | null = null;
  private readonly off: (() => void)[] = [];
  private readonly settledListeners = new Set<(token: number, grams: number) => void>();

  /** `speed`: simulated seconds per wall second on the controller's side (settle times are machine time). */
  constructor(
    private readonly scales: ScaleSource,
    private readonly link: ControllerLink,
    private readonly speed = 1,
    private readonly now: () => number = Date.now,
  ) {
    this.off.push(
      scales.onChange((d) => (d ? this.announce(d) : this.lost())),
      scales.onReading((r) => this.reading(r)),
      link.onState((s) => {
        const d = scales.current;
        if (s === "up" && d) this.announce(d);
      }),
      link.onMessage((m) => {
        if (m.type === "shot_ended" && scales.current) {
          const g = this.latest?.grams ?? 0;
          const teach = m.stop_reason === StopReason.weight;
          this.settling = { token: m.shot_token, teach, stoppedAtMs: this.now(), quietSinceMs: this.now(), lo: g, hi: g };
        }
      }),
    );
  }

  /** Latest cup weight (g), or null with no scale connected. */
  weightG(): number | null {
    return this.scales.current && this.latest ? this.latest.grams : null;
  }

  /** Fires with the settled cup weight of every shot ended with a scale connected (after a weight stop, once the controller has it). */
  onSettled(listener: (token: number, grams: number) => void): () => void {
    this.settledListeners.add(listener);
    return () => this.settledListeners.delete(listener);
  }

  /** Before a shot starts: zero the scale under the empty cup and re-announce it. No scale: nothing to do. */
  async beforeShot(): Promise<void> {
    const d = this.scales.current;
    if (!d) return;
    this.settling = null;
    await d.tare();
    this.announce(d);
  }

  stop(): void {
    for (const f of this.off) f();
  }

  private announce(d: ConnectedScale): void {
    this.link.send({ type: "scale_info", scale_model: d.model, table_lag_ms: d.lagMs });
  }

  private lost(): void {
    this.latest = null;
    this.settling = null;
    // One sample saying "no scale", so the controller stops trusting the last weight at once.
    this.link.send({ type: "weight_sample", weight_dg: 0, age_ms: 0, scale_lag_ms: 0, flags: 0 });
  }

  private reading(r: ScaleReading): void {
    this.latest = r;
    const d = this.scales.current;
    if (!d) return;
    const age = Math.max(0, Math.min(0xffff, Math.round((this.now() - r.rx_ms) * this.speed)));
    this.link.send({
      type: "weight_sample",
      weight_dg: Math.round(r.grams * 10),
      age_ms: age,
      scale_lag_ms: d.lagMs,
      flags: WeightFlags.connected | (r.stable ? WeightFlags.stable : 0),
    });
    this.settle(r, d);
  }

  private settle(r: ScaleReading, d: ConnectedScale): void {
    const s = this.settling;
    if (!s) return;
    const t = this.now();
    if (r.grams < s.lo) s.lo = r.grams;
    if (r.grams > s.hi) s.hi = r.grams;
    if (s.hi - s.lo > SETTLE_BAND_G) {
      s.quietSinceMs = t;
      s.lo = s.hi = r.grams;
    }
    const machineMs = (ms: number) => ms * this.speed;
    if (machineMs(t - s.stoppedAtMs) > SETTLE_GIVE_UP_MS) {
      this.settling = null;
      return;
    }
    if (machineMs(t - s.stoppedAtMs) < SETTLE_MIN_MS || machineMs(t - s.quietSinceMs) < SETTLE_QUIET_MS) return;
    this.settling = null;
    const grams = r.grams;
    const tell = () => {
      for (const l of this.settledListeners) l(s.token, grams);
    };
    if (!s.teach) {
      tell();
      return;
    }
    void this.link
      .command({ type: "shot_settled", shot_token: s.token, settled_weight_dg: Math.round(grams * 10), scale_model: d.model })
      .then(tell)
      .catch(() => {
        // the link went down: this shot teaches nothing (the next one will), but its yield is known
        tell();
      });
  }
}
