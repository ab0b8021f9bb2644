/**
 * @module The one authoritative picture of the machine, in people's units, built from what the
 * controller sends. Every change bumps `seq` and produces a delta holding only the fields that
 * changed, so a client that applies deltas in seq order has exactly the snapshot; a client that
 * sees a gap in seq asks for the snapshot again. Derived values (ready, time to ready, shot
 * elapsed) are computed here once, not in each client.
 */

import type { MachineSnapshot, MachineSnapshotFields } from "@brewos/protocol/api";
import {
  AlarmCode,
  Capabilities,
  type ControllerHelloMessage,
  MachineState as MachineStateCode,
  MachineType,
  TelemetryFlags,
  type TelemetryMessage,
  type UartMessage,
} from "@brewos/protocol/uart";
import { enumNamer, flagNames } from "./enum-names.ts";
import { HeatEta } from "./heat-eta.ts";
import { bar, celsius, ml, mlPerS, percent, seconds } from "./units.ts";

export type { MachineSnapshot, MachineSnapshotFields };
export interface MachineDelta {
  seq: number;
  changes: Partial<MachineSnapshotFields>;
  /** When the input behind this change arrived at the hub (ms since the epoch, sub-ms precision). */
  rx_ms: number;
}

/** Wall-clock now with sub-millisecond precision (the link's clock). */
const nowMs = () => performance.timeOrigin + performance.now();

const stateName = enumNamer(MachineStateCode);
const alarmName = enumNamer(AlarmCode);
const machineTypeName = enumNamer(MachineType);

/** The build a controller reports at hello, in words the app and Home Assistant can use. */
export function machineKind(hello: ControllerHelloMessage): MachineSnapshotFields["machine"] {
  const capabilities = flagNames(Capabilities, hello.capabilities);
  const pump = capabilities.includes("gear_pump") ? "gear" : capabilities.includes("dimmable_pump") ? "dimmable" : "on_off";
  const name = machineTypeName(hello.machine_type);
  const type = name === "dual_boiler" || name === "single_boiler" || name === "heat_exchanger" ? name : "unknown";
  return { type, pump, capabilities };
}
const NO_PHASE = 255;

function initial(): MachineSnapshotFields {
  return {
    link: "down",
    stale: true,
    state: "init",
    mode: "standby",
    brew_target_c: 93,
    steam_target_c: 125,
    heating_strategy: "sequential",
    eco: false,
    ready: false,
    eta_ready_s: null,
    brew_c: 0,
    steam_c: 0,
    group_c: 0,
    brew_setpoint_c: 0,
    steam_setpoint_c: 0,
    pressure_bar: 0,
    flow_ml_s: 0,
    shot_volume_ml: 0,
    brew_heater_pct: 0,
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
    machine: null,
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a)) return JSON.stringify(a) === JSON.stringify(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

export class MachineModel {
  private fields: MachineSnapshotFields = initial();
  private seq = 0;
  private readonly eta = new HeatEta();
  private readonly listeners = new Set<(d: MachineDelta) => void>();

  get brewing(): boolean {
    return this.fields.brewing;
  }

  snapshot(): MachineSnapshot {
    return { seq: this.seq, ...structuredClone(this.fields) };
  }

  /** Deltas as they happen, in seq order. Returns an unsubscribe function. */
  onDelta(listener: (d: MachineDelta) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A lost link makes every live value stale: outputs unknown, never "ready" on old news. */
  setLink(up: boolean): void {
    if (up) this.apply({ link: "up", stale: false }, nowMs());
    else
      this.apply(
        { link: "down", stale: true, ready: false, eta_ready_s: null, brew_heater_pct: null, steam_heater_pct: null, pump_pct: null },
        nowMs(),
      );
  }

  /** What the hub now asks of the machine (MachineControl's desired state). */
  setDesired(d: Pick<MachineSnapshotFields, "mode" | "brew_target_c" | "steam_target_c" | "heating_strategy" | "eco">): void {
    this.apply(d, nowMs());
  }

  /** The scale's latest reading (null grams: no scale). */
  setScale(connected: boolean, grams: number | null, rxMs: number = nowMs()): void {
    this.apply({ scale_connected: connected, weight_g: connected ? grams : null }, rxMs);
  }

  /** Feed every message from the controller. */
  handle(m: UartMessage, rxMs: number = nowMs()): void {
    this.rxMs = rxMs;
    switch (m.type) {
      case "telemetry":
        this.telemetry(m);
        break;
      case "shot_started":
        this.apply({ shot_token: m.shot_token });
        break;
      case "shot_ended":
        this.apply({ shot_token: null });
        break;
      case "controller_hello":
        this.eta.reset(); // a restarted controller's clock starts again
        this.clock = null;
        this.apply({ machine: machineKind(m) });
        break;
      default:
        break;
    }
  }

  private telemetry(t: TelemetryMessage): void {
    const brewing = (t.flags & TelemetryFlags.brewing) !== 0;
    const state = stateName(t.state);
    const brewSp = celsius(t.brew_setpoint_cdeg);
    const brewC = celsius(t.brew_temp_cdeg);
    const heating = t.state === MachineStateCode.heating || t.state === MachineStateCode.idle;
    if (heating) {
      this.eta.add(t.uptime_ms, brewC);
      this.clock ??= { machineMs: t.uptime_ms, rxMs: this.rxMs };
    } else {
      this.eta.reset();
      this.clock = null;
    }
    const ready = t.state === MachineStateCode.ready;
    this.apply({
      state,
      ready,
      eta_ready_s: ready ? 0 : heating ? this.realSeconds(this.eta.secondsTo(brewSp), t.uptime_ms) : null,
      brew_c: brewC,
      steam_c: celsius(t.steam_temp_cdeg),
      group_c: celsius(t.group_temp_cdeg),
      brew_setpoint_c: brewSp,
      steam_setpoint_c: celsius(t.steam_setpoint_cdeg),
      pressure_bar: bar(t.pressure_mbar),
      flow_ml_s: mlPerS(t.pump_flow_ul_s),
      shot_volume_ml: ml(t.pumped_volume_ul),
      brew_heater_pct: percent(t.brew_duty_pmil),
      steam_heater_pct: percent(t.steam_duty_pmil),
      pump_pct: percent(t.pump_power_pmil),
      brewing,
      shot_elapsed_s: brewing ? seconds(t.shot_time_ms) : null,
      shot_phase: brewing && t.phase_index !== NO_PHASE ? t.phase_index : null,
      alarm: t.active_alarm === AlarmCode.none ? null : alarmName(t.active_alarm),
      flags: flagNames(TelemetryFlags, t.flags),
    });
  }

  private rxMs = 0;
  /** Where the machine's clock and the hub's stood when heating began (a simulator may run faster). */
  private clock: { machineMs: number; rxMs: number } | null = null;

  /** Machine-clock seconds as seconds of real time, at the rate the machine's clock has been running. */
  private realSeconds(machineS: number | null, uptimeMs: number): number | null {
    if (machineS === null || !this.clock) return machineS;
    const realMs = this.rxMs - this.clock.rxMs;
    if (machineS === 0) return 0;
    if (realMs < 2000) return null; // the clock's rate is not known yet
    const rate = (uptimeMs - this.clock.machineMs) / realMs;
    return rate > 0 ? Math.round(machineS / rate) : null;
  }

  private apply(next: Partial<MachineSnapshotFields>, rxMs: number = this.rxMs): void {
    const changes: Partial<MachineSnapshotFields> = {};
    let any = false;
    for (const [k, v] of Object.entries(next) as [keyof MachineSnapshotFields, unknown][]) {
      if (!sameValue(this.fields[k], v)) {
        (changes as Record<string, unknown>)[k] = v;
        any = true;
      }
    }
    Object.assign(this.fields, next);
    if (!any) return;
    this.seq++;
    const delta: MachineDelta = { seq: this.seq, changes, rx_ms: rxMs };
    for (const l of this.listeners) l(delta);
  }
}
