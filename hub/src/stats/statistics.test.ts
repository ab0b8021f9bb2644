import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MachineState, type TelemetryMessage } from "@brewos/protocol/uart";
import { HubSettings } from "../settings/schema.ts";
import { openDatabase } from "../store/db.ts";
import { ShotStore } from "../store/shot-store.ts";
import { EnergyMeter } from "./energy-meter.ts";
import { Statistics } from "./statistics.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function db() {
  const d = mkdtempSync(join(tmpdir(), "brewos-stats-"));
  dirs.push(d);
  return openDatabase(join(d, "hub.sqlite"));
}

const t = (uptime_ms: number, brew_duty_pmil: number, steam_duty_pmil = 0): TelemetryMessage => ({
  type: "telemetry",
  seq: 0,
  uptime_ms,
  state: MachineState.heating,
  phase_index: 255,
  brew_temp_cdeg: 9000,
  steam_temp_cdeg: 12000,
  group_temp_cdeg: 8800,
  brew_setpoint_cdeg: 9300,
  steam_setpoint_cdeg: 12500,
  pressure_mbar: 0,
  pump_flow_ul_s: 0,
  pumped_volume_ul: 0,
  brew_duty_pmil,
  steam_duty_pmil,
  pump_power_pmil: 0,
  shot_time_ms: 0,
  flags: 0,
  sensor_flags: 0,
  active_alarm: 0,
});

describe("statistics", () => {
  test("energy: duty x heater watts on the machine clock; a gap in telemetry is not counted", () => {
    const d = db();
    const now = Date.UTC(2026, 5, 1, 12);
    const meter = new EnergyMeter(
      d,
      () => ({ brew: 1200, steam: 1400 }),
      () => now,
    );
    for (let ms = 0; ms <= 3_600_000; ms += 250) meter.handle(t(ms, 500)); // 600 W for an hour
    meter.handle(t(3_700_000, 1000)); // 100 s without telemetry: not integrated
    for (let ms = 3_700_250; ms <= 3_760_000; ms += 250) meter.handle(t(ms, 0, 1000)); // steam 1400 W, ~60 s
    const stats = new Statistics(
      d,
      meter,
      () => HubSettings.parse({}).maintenance,
      () => now,
    );
    const s = stats.summary();
    expect(s.energy.today_wh).toBeCloseTo(600 + (1400 * 59.75) / 3600, 0);
    expect(s.energy.by_day[0]?.heating_s).toBe(3660);
  });

  test("shots counted from history; maintenance reminders by shots and by days; recording one resets it", () => {
    const d = db();
    let now = Date.UTC(2026, 5, 1, 12);
    const store = new ShotStore(d, () => now);
    const stats = new Statistics(
      d,
      new EnergyMeter(d, () => ({ brew: 0, steam: 0 })),
      () => ({ ...HubSettings.parse({}).maintenance, backflush_every_shots: 3 }),
      () => now,
    );
    stats.recordMaintenance("descale");
    const summary = { stop_reason: "time", end_flags: [], volume_ml: 40, final_weight_g: null, max_pressure_bar: 9, mean_brew_c: 93 };
    for (let i = 0; i < 4; i++) {
      now += 60_000;
      store.finish(
        store.begin({
          started_at_ms: now,
          shot_token: i,
          source: "command",
          profile_slot: 0,
          profile_json: null,
          dose_g: 18,
          target_g: 36,
        }),
        [],
        { ...summary, duration_ms: 28_000 },
      );
    }
    now += 60_000;
    store.finish(
      store.begin({
        started_at_ms: now,
        shot_token: 9,
        source: "command",
        profile_slot: 0,
        profile_json: null,
        dose_g: null,
        target_g: null,
      }),
      [],
      { ...summary, duration_ms: 5_000 },
    ); // a flush
    now += 60_000;
    // A café shot logged by hand: history, not this machine's wear.
    d.query(
      "INSERT INTO shots (id, server_seq, status, started_at_ms, shot_token, source, duration_ms, updated_at_ms) VALUES ('01900000-0000-7000-8000-00000000cafe', 999, 'complete', $t, 0, 'manual', 30000, $t)",
    ).run({ t: now });
    const s = stats.summary();
    expect(s.shots).toMatchObject({ total: 5, today: 5, brew_time_total_s: 142, average_shot_s: 28.4 });
    const backflush = s.maintenance.find((m) => m.kind === "backflush");
    expect(backflush).toMatchObject({ shots_since: 4, due: true }); // the hand-logged one not among them
    expect(backflush?.reason).toContain("4 shots since the last backflush");
    expect(s.maintenance.find((m) => m.kind === "descale")?.due).toBe(false);
    stats.recordMaintenance("backflush");
    expect(stats.maintenance().find((m) => m.kind === "backflush")).toMatchObject({ shots_since: 0, due: false });
    now += 61 * 86_400_000;
    expect(stats.maintenance().find((m) => m.kind === "descale")?.reason).toContain("61 days since the last descale");
  });
});
