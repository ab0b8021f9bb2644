/**
 * @module Energy used by the heaters, estimated from the duties the controller reports times the
 * heater watts it is configured with, integrated on the machine's own clock (so a simulator at N×
 * counts machine time, and a pause in telemetry is not counted as heating). Kept per local day.
 */
import type { Database } from "bun:sqlite";
import type { TelemetryMessage } from "@brewos/protocol/uart";

/** A gap in telemetry longer than this is not integrated (link lost, controller restarted). */
const MAX_STEP_S = 2;

export function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

export class EnergyMeter {
  private lastUptimeMs: number | null = null;
  private pendingWh = 0;
  private pendingHeatingS = 0;

  constructor(
    private readonly db: Database,
    /** Heater watts (brew, steam) as configured on the controller. */
    private readonly heaterW: () => { brew: number; steam: number },
    private readonly now: () => number = Date.now,
  ) {}

  handle(t: TelemetryMessage): void {
    const last = this.lastUptimeMs;
    this.lastUptimeMs = t.uptime_ms;
    if (last === null) return;
    const dt = (t.uptime_ms - last) / 1000;
    if (dt <= 0 || dt > MAX_STEP_S) return;
    const w = this.heaterW();
    const watts = (t.brew_duty_pmil / 1000) * w.brew + (t.steam_duty_pmil / 1000) * w.steam;
    this.pendingWh += (watts * dt) / 3600;
    if (watts > 0) this.pendingHeatingS += dt;
  }

  /** Write what was counted since the last flush into today's row. */
  flush(): void {
    if (this.pendingWh === 0 && this.pendingHeatingS === 0) return;
    this.db
      .query(
        "INSERT INTO energy_days (day, wh, heating_s) VALUES ($day, $wh, $s) ON CONFLICT (day) DO UPDATE SET wh = wh + $wh, heating_s = heating_s + $s",
      )
      .run({ day: localDay(this.now()), wh: this.pendingWh, s: this.pendingHeatingS });
    this.pendingWh = 0;
    this.pendingHeatingS = 0;
  }

  /** Not yet flushed, for a live total. */
  pending(): { wh: number; heating_s: number } {
    return { wh: this.pendingWh, heating_s: this.pendingHeatingS };
  }
}
