/**
 * @module Statistics from what the hub really recorded: shots (from the shot store), energy (from
 * the energy meter), and maintenance counters with reminders (thresholds are settings; defaults
 * from the original project: backflush every 100 shots, descale every 500 shots or 60 days).
 */
import type { Database } from "bun:sqlite";
import type { HubSettings } from "../settings/schema.ts";
import { type EnergyMeter, localDay } from "./energy-meter.ts";

export const MAINTENANCE_KINDS = ["backflush", "group_clean", "descale"] as const;
export type MaintenanceKind = (typeof MAINTENANCE_KINDS)[number];

/** Shots that count toward wear: finished, and long enough to be a real shot (not a flush). */
const COUNTED = "status = 'complete' AND deleted = 0 AND duration_ms >= 15000";
/** Shots that wore this machine: not the ones people logged by hand (a café's, another machine's). */
const ON_THIS_MACHINE = `${COUNTED} AND source != 'manual'`;

export interface MaintenanceState {
  kind: MaintenanceKind;
  shots_since: number;
  last_done_at_ms: number | null;
  due: boolean;
  reason: string | null;
}

export class Statistics {
  constructor(
    private readonly db: Database,
    private readonly energy: EnergyMeter,
    private readonly settings: () => HubSettings["maintenance"],
    private readonly now: () => number = Date.now,
  ) {}

  recordMaintenance(kind: MaintenanceKind): void {
    this.db
      .query("INSERT INTO maintenance (kind, done_at_ms) VALUES ($kind, $t) ON CONFLICT (kind) DO UPDATE SET done_at_ms = $t")
      .run({ kind, t: this.now() });
  }

  maintenance(): MaintenanceState[] {
    const s = this.settings();
    return MAINTENANCE_KINDS.map((kind) => {
      const last =
        this.db.query<{ done_at_ms: number }, { kind: string }>("SELECT done_at_ms FROM maintenance WHERE kind = $kind").get({ kind })
          ?.done_at_ms ?? null;
      const since =
        this.db
          .query<{ n: number }, { t: number }>(`SELECT COUNT(*) AS n FROM shots WHERE ${ON_THIS_MACHINE} AND started_at_ms > $t`)
          .get({ t: last ?? 0 })?.n ?? 0;
      const every =
        kind === "backflush" ? s.backflush_every_shots : kind === "group_clean" ? s.group_clean_every_shots : s.descale_every_shots;
      let reason: string | null = since >= every ? `${since} shots since the last ${kind.replace("_", " ")} (every ${every})` : null;
      if (!reason && kind === "descale" && last !== null) {
        const days = Math.floor((this.now() - last) / 86_400_000);
        if (days >= s.descale_every_days) reason = `${days} days since the last descale (every ${s.descale_every_days})`;
      }
      return { kind, shots_since: since, last_done_at_ms: last, due: reason !== null, reason };
    });
  }

  summary() {
    this.energy.flush();
    const today = localDay(this.now());
    const totals = this.db
      .query<{ n: number; brew_ms: number | null }, []>(`SELECT COUNT(*) AS n, SUM(duration_ms) AS brew_ms FROM shots WHERE ${COUNTED}`)
      .get() ?? { n: 0, brew_ms: 0 };
    const byDay = this.db
      .query<{ day: string; shots: number; brew_ms: number }, { since: number }>(
        `SELECT date(started_at_ms / 1000, 'unixepoch', 'localtime') AS day, COUNT(*) AS shots, SUM(duration_ms) AS brew_ms
         FROM shots WHERE ${COUNTED} AND started_at_ms >= $since GROUP BY day ORDER BY day`,
      )
      .all({ since: this.now() - 30 * 86_400_000 });
    const energyDays = this.db
      .query<{ day: string; wh: number; heating_s: number }, { since: string }>(
        "SELECT day, wh, heating_s FROM energy_days WHERE day >= $since ORDER BY day",
      )
      .all({ since: localDay(this.now() - 30 * 86_400_000) });
    const totalWh = this.db.query<{ wh: number | null }, []>("SELECT SUM(wh) AS wh FROM energy_days").get()?.wh ?? 0;
    const r1 = (x: number) => Math.round(x * 10) / 10;
    return {
      shots: {
        total: totals.n,
        today: byDay.find((d) => d.day === today)?.shots ?? 0,
        brew_time_total_s: r1((totals.brew_ms ?? 0) / 1000),
        average_shot_s: totals.n ? r1((totals.brew_ms ?? 0) / 1000 / totals.n) : null,
        by_day: byDay.map((d) => ({ day: d.day, shots: d.shots, brew_time_s: r1(d.brew_ms / 1000) })),
      },
      energy: {
        today_wh: r1(energyDays.find((d) => d.day === today)?.wh ?? 0),
        total_wh: r1(totalWh),
        by_day: energyDays.map((d) => ({ day: d.day, wh: r1(d.wh), heating_s: Math.round(d.heating_s) })),
      },
      maintenance: this.maintenance(),
    };
  }
}
