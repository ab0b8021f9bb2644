/**
 * @module Live machine state for every screen (zustand): the connection status, the latest
 * snapshot and when it arrived, and the current shot's trace at telemetry rate for the live chart.
 * Filled by the hub client; screens read slices with selectors so only what changed re-renders.
 */
import type { AutotuneResult, MachineSnapshot, ShotRecord } from "@brewos/protocol/api";
import { create } from "zustand";
import type { CommandResult, ConnectionStatus, HubClient } from "./hub-client.ts";

/** The shot being pulled, columnar (uPlot's shape): seconds, bar, ml/s, g, °C. */
export interface ShotTrace {
  token: number | null;
  t: number[];
  pressure: number[];
  flow: number[];
  weight: (number | null)[];
  temp: number[];
  /** Bumped on every append so charts know to redraw. */
  version: number;
}

export interface MachineStore {
  status: ConnectionStatus | "idle";
  statusDetail: string;
  snapshot: MachineSnapshot | null;
  /** Local ms when the last message arrived (for "stale" ages). */
  receivedAt: number;
  trace: ShotTrace;
  lastShot: ShotRecord | null;
  /** This install's sync with the hub (only the leading tab reports it). */
  syncStatus: "idle" | "syncing" | "synced" | "offline" | "error";
  syncDetail: string | null;
  /** The newest autotune result pushed by the hub while this app was open. */
  autotune: AutotuneResult | null;
  client: HubClient | null;
  /** Whether the hub let this app in: unknown until it answers; "needed" shows the pairing screen. */
  pairing: "unknown" | "paired" | "needed";
  pairingDetail: string | null;
}

const emptyTrace = (token: number | null): ShotTrace => ({ token, t: [], pressure: [], flow: [], weight: [], temp: [], version: 0 });

export const useMachine = create<MachineStore>(() => ({
  status: "idle",
  statusDetail: "",
  snapshot: null,
  receivedAt: 0,
  trace: emptyTrace(null),
  lastShot: null,
  autotune: null,
  syncStatus: "idle",
  syncDetail: null,
  client: null,
  pairing: "unknown",
  pairingDetail: null,
}));

export function setStatus(status: ConnectionStatus, detail: string): void {
  useMachine.setState({ status, statusDetail: detail });
}

export function applySnapshot(s: MachineSnapshot, rxMs: number): void {
  const prev = useMachine.getState();
  let trace = prev.trace;
  if (s.brewing && s.shot_elapsed_s !== null) {
    if (trace.token !== s.shot_token) trace = emptyTrace(s.shot_token);
    const last = trace.t.at(-1);
    if (last === undefined || s.shot_elapsed_s > last) {
      // Mutate the columns in place (uPlot reads them) and publish a new object for subscribers.
      trace.t.push(s.shot_elapsed_s);
      trace.pressure.push(s.pressure_bar);
      trace.flow.push(s.flow_ml_s);
      trace.weight.push(s.weight_g);
      trace.temp.push(s.brew_c);
      trace = { ...trace, version: trace.version + 1 };
    }
  }
  useMachine.setState({ snapshot: s, receivedAt: rxMs, trace });
}

export function setLastShot(shot: ShotRecord): void {
  const last = useMachine.getState().lastShot;
  if (!last || last.id === shot.id || shot.started_at_ms > last.started_at_ms) useMachine.setState({ lastShot: shot });
}

export function sendCommand(command: Record<string, unknown>): Promise<CommandResult> {
  const c = useMachine.getState().client;
  if (!c) return Promise.resolve({ ok: false, code: "not_connected", message: "not connected to a hub" });
  return c.command(command);
}
