/**
 * @module Live machine state for every screen (zustand): the connection status, the latest
 * snapshot and when it arrived, and the current shot's trace at telemetry rate for the live chart.
 * Filled by the hub client; screens read slices with selectors so only what changed re-renders.
 */
import type { AutotuneResult, ControllerFirmware, MachineSnapshot, NextShot, ShotRecord } from "@brewos/protocol/api";
import { create } from "zustand";
import type { CommandResult, ConnectionStatus, HubClient } from "./hub-client.ts";
import { type LastState, saveLastState, type TraceColumns } from "./last-state.ts";
import type { Route } from "./transport.ts";

/** The shot being pulled, columnar (uPlot's shape): seconds, bar, ml/s, g, °C. */
export interface ShotTrace extends TraceColumns {
  phase: (number | null)[];
  /** Bumped on every append so charts know to redraw. */
  version: number;
}

export interface MachineStore {
  status: ConnectionStatus | "idle";
  statusDetail: string;
  /** How the app reaches the machine now: at home (LAN) or through the relay; null before it does. */
  route: Route | null;
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
  /** The controller's firmware as the hub last pushed it (an update's progress). */
  firmware: ControllerFirmware | null;
  client: HubClient | null;
  /** Whether the hub let this app in: unknown until it answers; "needed" shows the pairing screen. */
  pairing: "unknown" | "paired" | "needed";
  pairingDetail: string | null;
  /** The hub's recipe for the next shot (null until the hub sends it, or from this phone's cache). */
  nextShot: NextShot | null;
  /** The hub this store shows; its last state is cached on the phone under this address. */
  hub: string | null;
  /** The snapshot came from the phone's cache (an offline start), not from the hub. */
  fromCache: boolean;
}

const emptyTrace = (token: number | null): ShotTrace => ({
  token,
  t: [],
  pressure: [],
  flow: [],
  weight: [],
  temp: [],
  phase: [],
  version: 0,
});

export const useMachine = create<MachineStore>(() => ({
  status: "idle",
  statusDetail: "",
  route: null,
  snapshot: null,
  receivedAt: 0,
  trace: emptyTrace(null),
  lastShot: null,
  autotune: null,
  firmware: null,
  syncStatus: "idle",
  syncDetail: null,
  client: null,
  pairing: "unknown",
  pairingDetail: null,
  nextShot: null,
  hub: null,
  fromCache: false,
}));

/** Show a hub's last known state from the phone's cache until the hub answers. */
export function showCached(hub: string, last: LastState | null): void {
  useMachine.setState({
    hub,
    snapshot: last ? { ...last.snapshot, stale: true } : null,
    receivedAt: last?.at_ms ?? 0,
    trace: last?.trace ? { ...last.trace, phase: last.trace.phase ?? [], version: 1 } : emptyTrace(null),
    nextShot: last?.next_shot ?? null,
    fromCache: last !== null,
  });
}

function remember(now = false): void {
  const m = useMachine.getState();
  if (!m.hub || !m.snapshot || m.fromCache) return;
  const { version: _v, ...trace } = m.trace;
  saveLastState(
    { hub: m.hub, snapshot: m.snapshot, at_ms: m.receivedAt, trace: trace.t.length ? trace : null, next_shot: m.nextShot },
    now,
  );
}

export function setNextShot(nextShot: NextShot): void {
  useMachine.setState({ nextShot });
  remember();
}

export function setStatus(status: ConnectionStatus, detail: string): void {
  useMachine.setState({ status, statusDetail: detail });
}

export function applySnapshot(s: MachineSnapshot, rxMs: number): void {
  const prev = useMachine.getState();
  let trace = prev.trace;
  if (s.brewing && s.shot_elapsed_s !== null) {
    // A new shot starts a new trace; its token may arrive a moment after the first sample, and
    // leaves again a moment before the last one — neither may wipe the trace being drawn.
    const starting = !prev.snapshot?.brewing || prev.fromCache;
    if (starting || (s.shot_token !== null && trace.token !== null && trace.token !== s.shot_token)) trace = emptyTrace(s.shot_token);
    else if (trace.token === null && s.shot_token !== null) trace.token = s.shot_token;
    const last = trace.t.at(-1);
    if (last === undefined || s.shot_elapsed_s > last) {
      // Mutate the columns in place (uPlot reads them) and publish a new object for subscribers.
      trace.t.push(s.shot_elapsed_s);
      trace.pressure.push(s.pressure_bar);
      trace.flow.push(s.flow_ml_s);
      trace.weight.push(s.weight_g);
      trace.temp.push(s.brew_c);
      trace.phase.push(s.shot_phase);
      trace = { ...trace, version: trace.version + 1 };
    }
  }
  useMachine.setState({ snapshot: s, receivedAt: rxMs, trace, fromCache: false });
  // A shot just ended: keep its trace at once (the chart stays after an offline reload).
  remember(prev.snapshot?.brewing === true && !s.brewing);
}

/** Whether what the screens show is live, and if not, why — in words for the owner. */
export function liveness(m: Pick<MachineStore, "status" | "snapshot" | "fromCache">): { live: boolean; why: string } {
  if (m.fromCache || m.status !== "connected")
    return { live: false, why: "Not live: the app cannot reach the machine. These are the last values it heard." };
  if (m.snapshot?.stale)
    return { live: false, why: "Not live: the hub cannot reach the machine's controller. These are the last values it heard." };
  return { live: true, why: "" };
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
