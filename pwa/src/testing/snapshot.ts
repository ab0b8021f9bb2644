/** Test fixture: a live machine snapshot (a dual boiler heating), with the fields a test names replaced. */
import type { MachineSnapshot } from "@brewos/protocol/api";

export function machineSnapshot(over: Partial<MachineSnapshot> = {}): MachineSnapshot {
  return {
    seq: 5,
    link: "up",
    mode: "brew",
    brew_target_c: 93,
    steam_target_c: 125,
    heating_strategy: "sequential",
    eco: false,
    stale: false,
    state: "heating",
    ready: false,
    eta_ready_s: 95,
    brew_c: 71.4,
    steam_c: 60,
    group_c: 40,
    brew_setpoint_c: 93,
    steam_setpoint_c: 125,
    pressure_bar: 0,
    flow_ml_s: 0,
    shot_volume_ml: 0,
    brew_heater_pct: 100,
    steam_heater_pct: 0,
    pump_pct: 0,
    brewing: false,
    shot_elapsed_s: null,
    shot_phase: null,
    shot_token: null,
    alarm: null,
    flags: [],
    weight_g: null,
    scale_connected: false,
    machine: {
      type: "dual_boiler",
      pump: "gear",
      capabilities: ["pressure_sensor", "flow_meter", "gear_pump", "steam_level_probe", "tank_level_switch", "group_sensor"],
    },
    ...over,
  };
}
