/**
 * @module Estimated time until the brew boiler reaches its setpoint, from the recent warming rate
 * (least-squares slope over a sliding window). Null when it is not warming or has too little data:
 * a wrong number is worse than none on a dashboard.
 */

export class HeatEta {
  private readonly t: number[] = [];
  private readonly c: number[] = [];

  constructor(
    private readonly windowMs = 20000,
    private readonly minSpanMs = 5000,
  ) {}

  add(nowMs: number, tempC: number): void {
    this.t.push(nowMs);
    this.c.push(tempC);
    while (this.t.length > 0 && nowMs - (this.t[0] ?? nowMs) > this.windowMs) {
      this.t.shift();
      this.c.shift();
    }
  }

  reset(): void {
    this.t.length = 0;
    this.c.length = 0;
  }

  /** Seconds to `setpointC`; 0 when there; null when unknown. */
  secondsTo(setpointC: number): number | null {
    const n = this.t.length;
    const last = this.c[n - 1];
    if (last === undefined) return null;
    if (last >= setpointC - 0.5) return 0;
    const t0 = this.t[0] ?? 0;
    if ((this.t[n - 1] ?? 0) - t0 < this.minSpanMs) return null;
    let st = 0;
    let sc = 0;
    for (let i = 0; i < n; i++) {
      st += (this.t[i] ?? 0) - t0;
      sc += this.c[i] ?? 0;
    }
    const mt = st / n;
    const mc = sc / n;
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
      const dt = (this.t[i] ?? 0) - t0 - mt;
      num += dt * ((this.c[i] ?? 0) - mc);
      den += dt * dt;
    }
    const perMs = den > 0 ? num / den : 0;
    if (perMs <= 0.02 / 1000) return null; // under 0.02 °C/s is not heating
    return Math.round((setpointC - 0.5 - last) / perMs / 1000);
  }
}
