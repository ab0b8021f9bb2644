/** The live trace: kept whole through a shot whose token arrives late and leaves early; the last state survives a reload. */
import { afterEach, expect, test } from "bun:test";
import { machineSnapshot } from "../testing/snapshot.ts";
import { loadLastState } from "./last-state.ts";
import { applySnapshot, liveness, showCached, useMachine } from "./machine-store.ts";

afterEach(() => localStorage.clear());

test("a shot's trace is not wiped when its token comes after the first sample or goes before the last", () => {
  useMachine.setState({ snapshot: machineSnapshot({ state: "ready" }), fromCache: false });
  const at = (t: number, token: number | null, brewing = true) =>
    applySnapshot(
      machineSnapshot({ brewing, state: brewing ? "brewing" : "ready", shot_elapsed_s: t, shot_token: token, pressure_bar: t }),
      t,
    );
  at(0.1, null); // telemetry says brewing before shot_started names the token
  at(0.2, 42);
  at(0.3, 42);
  at(0.4, null); // shot_ended cleared the token; the last brewing sample still arrives
  applySnapshot(machineSnapshot({ brewing: false, state: "ready", shot_elapsed_s: null, shot_token: null }), 1);
  const trace = useMachine.getState().trace;
  expect(trace.t).toEqual([0.1, 0.2, 0.3, 0.4]);
  expect(trace.token).toBe(42);
  at(0.1, 43); // the next shot starts a new trace
  expect(useMachine.getState().trace.t).toEqual([0.1]);
});

test("the last state is kept per hub and shown, not live, after a reload", async () => {
  useMachine.setState({ hub: "http://hub.test", fromCache: false, status: "connected" });
  applySnapshot(machineSnapshot({ brewing: true, state: "brewing", shot_elapsed_s: 1, shot_token: 5 }), 10);
  applySnapshot(machineSnapshot({ brewing: false, state: "ready", brew_c: 93.2 }), 20); // a shot ended: written at once
  const saved = loadLastState("http://hub.test");
  expect(saved?.snapshot.brew_c).toBe(93.2);
  expect(saved?.trace?.t).toEqual([1]);
  expect(loadLastState("http://other.test")).toBeNull();
  showCached("http://hub.test", saved);
  const m = useMachine.getState();
  expect(m.fromCache).toBe(true);
  expect(m.snapshot?.stale).toBe(true);
  expect(m.trace.t).toEqual([1]);
  expect(liveness({ ...m, status: "connected" }).live).toBe(false);
});
