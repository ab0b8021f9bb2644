import { describe, expect, test } from "bun:test";
import { MachineMode, MachineState, TelemetryFlags, type TelemetryMessage } from "@brewos/protocol/uart";
import { ControllerLink } from "../controller-link/controller-link.ts";
import { spawnedSimTransport } from "../controller-link/transports/spawned-sim.ts";
import { SIM_BINARY } from "../testing/hub-on-disk.ts";
import { HeatEta } from "./heat-eta.ts";
import { type MachineDelta, MachineModel, type MachineSnapshot } from "./machine-state.ts";

const SIM = SIM_BINARY;

function telemetry(over: Partial<TelemetryMessage>): TelemetryMessage {
  return {
    type: "telemetry",
    seq: 0,
    uptime_ms: 1000,
    state: MachineState.heating,
    phase_index: 255,
    brew_temp_cdeg: 2500,
    steam_temp_cdeg: 2500,
    group_temp_cdeg: 2400,
    brew_setpoint_cdeg: 9300,
    steam_setpoint_cdeg: 12500,
    pressure_mbar: 0,
    pump_flow_ul_s: 0,
    pumped_volume_ul: 0,
    brew_duty_pmil: 1000,
    steam_duty_pmil: 0,
    pump_power_pmil: 0,
    shot_time_ms: 0,
    flags: 0,
    sensor_flags: 0,
    active_alarm: 0,
    ...over,
  };
}

function applyAll(base: MachineSnapshot, deltas: MachineDelta[]): MachineSnapshot {
  const s = structuredClone(base);
  for (const d of deltas) {
    expect(d.seq).toBe(s.seq + 1); // no gaps, no repeats
    Object.assign(s, d.changes);
    s.seq = d.seq;
  }
  return s;
}

describe("machine state", () => {
  test("telemetry becomes people's units; an unchanged frame makes no delta", () => {
    const m = new MachineModel();
    const deltas: MachineDelta[] = [];
    m.onDelta((d) => deltas.push(d));
    m.handle(telemetry({ brew_temp_cdeg: 9312, pressure_mbar: 9040, flags: TelemetryFlags.brew_heater_on | TelemetryFlags.link_ok }));
    const s = m.snapshot();
    expect(s.brew_c).toBe(93.12);
    expect(s.pressure_bar).toBe(9.04);
    expect(s.brew_heater_pct).toBe(100);
    expect(s.state).toBe("heating");
    expect(s.flags).toEqual(["brew_heater_on", "link_ok"]);
    m.handle(
      telemetry({
        uptime_ms: 1250,
        brew_temp_cdeg: 9312,
        pressure_mbar: 9040,
        flags: TelemetryFlags.brew_heater_on | TelemetryFlags.link_ok,
      }),
    );
    expect(deltas).toHaveLength(1);
    m.handle(
      telemetry({
        uptime_ms: 1500,
        brew_temp_cdeg: 9320,
        pressure_mbar: 9040,
        flags: TelemetryFlags.brew_heater_on | TelemetryFlags.link_ok,
      }),
    );
    expect(deltas[1]?.changes).toEqual({ brew_c: 93.2 });
  });

  test("a shot shows elapsed time and phase only while brewing; an alarm by name", () => {
    const m = new MachineModel();
    m.handle(telemetry({ state: MachineState.brewing, flags: TelemetryFlags.brewing, shot_time_ms: 12345, phase_index: 1 }));
    expect(m.snapshot()).toMatchObject({ brewing: true, shot_elapsed_s: 12.35, shot_phase: 1 });
    m.handle(telemetry({ state: MachineState.fault, active_alarm: 1 }));
    expect(m.snapshot()).toMatchObject({ brewing: false, shot_elapsed_s: null, shot_phase: null, alarm: "brew_over_temp", state: "fault" });
    m.handle(telemetry({ state: 99 }));
    expect(m.snapshot().state).toBe("unknown_99");
  });

  test("time to ready from the warming rate, and none when it is not warming", () => {
    const eta = new HeatEta();
    for (let t = 0; t <= 10000; t += 250) eta.add(t, 60 + t / 1000); // 1 °C/s
    expect(eta.secondsTo(93)).toBe(23); // (92.5 - 70) / 1 = 22.5, rounded
    const flat = new HeatEta();
    for (let t = 0; t <= 10000; t += 250) flat.add(t, 60);
    expect(flat.secondsTo(93)).toBeNull();
    const short = new HeatEta();
    short.add(0, 60);
    short.add(1000, 61);
    expect(short.secondsTo(93)).toBeNull(); // too little data to say
  });

  test("on the simulator: deltas in seq order rebuild the snapshot; time to ready counts down to 0", async () => {
    const model = new MachineModel();
    const deltas: MachineDelta[] = [];
    const base = model.snapshot();
    model.onDelta((d) => deltas.push(d));
    const link = new ControllerLink({
      open: spawnedSimTransport({ binary: SIM, machine: "dual_boiler", speed: 50 }),
      desired: () => ({ mode: MachineMode.brew, flags: 0, brew_setpoint_cdeg: 9300, steam_setpoint_cdeg: 12500, heating_strategy: 1 }),
      keepaliveMs: 4,
    });
    let readyAtMs = 0;
    const etas: number[] = [];
    let firstEta: { s: number; atMs: number } | null = null;
    link.onMessage((msg) => {
      model.handle(msg);
      const e = model.snapshot().eta_ready_s;
      if (e !== null) etas.push(e);
      if (e !== null && e > 0 && !firstEta) firstEta = { s: e, atMs: Date.now() };
    });
    try {
      link.start();
      await link.whenUp(5000);
      model.setLink(true);
      const deadline = Date.now() + 30000;
      while (!model.snapshot().ready && Date.now() < deadline) await Bun.sleep(20);
      expect(model.snapshot().ready).toBe(true);
      readyAtMs = Date.now();
    } finally {
      await link.stop();
    }
    expect(applyAll(base, deltas)).toEqual(model.snapshot());
    expect(etas.length).toBeGreaterThan(10);
    expect(etas.at(-1)).toBe(0);
    // In real time, though the simulator runs 50x: the first estimate is near the wait it announced.
    const first = firstEta as { s: number; atMs: number } | null;
    expect(first).not.toBeNull();
    const waitedS = (readyAtMs - (first?.atMs ?? 0)) / 1000;
    expect(first?.s ?? 0).toBeGreaterThan(waitedS * 0.5);
    expect(first?.s ?? 0).toBeLessThan(waitedS * 2 + 1);
  }, 60000);
});
