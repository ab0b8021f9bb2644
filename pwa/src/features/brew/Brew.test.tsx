/** The Brew screen says how the next shot will stop before it starts, and warns when the scale goes silent mid-shot. */
import { afterEach, expect, test } from "bun:test";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render } from "@testing-library/react";
import { useMachine } from "../../connection/machine-store.ts";
import { machineSnapshot } from "../../testing/snapshot.ts";
import Brew from "./Brew.tsx";

afterEach(() => {
  cleanup();
  localStorage.removeItem("brewos.brew");
});

const ready = machineSnapshot({ state: "ready", ready: true, eta_ready_s: 0, brew_c: 93, steam_c: 125, group_c: 88, brew_heater_pct: 4 });

function show() {
  const q = new QueryClient({ defaultOptions: { queries: { retry: false, enabled: false } } });
  return render(
    <QueryClientProvider client={q}>
      <Brew />
    </QueryClientProvider>,
  );
}

test("with no scale the stop is the target's volume, and a time limit joins it", () => {
  useMachine.setState({ snapshot: ready, status: "connected" });
  const v = show();
  expect(v.getByText("No scale: stops on the volume that makes 36 g in the cup.")).toBeTruthy();
  fireEvent.change(v.getByLabelText("Time limit (s, 0 = none)"), { target: { value: "40" } });
  expect(v.getByText("No scale: stops on the volume that makes 36 g in the cup, or at 40 s.")).toBeTruthy();
  fireEvent.change(v.getByLabelText("Target weight (g)"), { target: { value: "0" } });
  expect(v.getByText("Stops at 40 s (or the profile's own end).")).toBeTruthy();
});

test("with a scale the stop is the weight; a scale lost mid-shot is said at once", () => {
  useMachine.setState({ snapshot: { ...ready, scale_connected: true, weight_g: 0 }, status: "connected" });
  const v = show();
  expect(v.getByText("Stops at 36 g on the scale.")).toBeTruthy();
  cleanup();
  useMachine.setState({ snapshot: { ...ready, brewing: true, state: "brewing", alarm: "scale_lost" }, status: "connected" });
  const w = show();
  expect(w.getByRole("alert").textContent).toContain("The scale went silent");
});

test("when a shot cannot start the screen says why: a fault by name and what to do, an unreachable machine, a machine that is off", () => {
  useMachine.setState({ snapshot: { ...ready, ready: false, state: "fault", alarm: "water_empty" }, status: "connected" });
  const v = show();
  expect(v.container.textContent).toContain("Not while there is a fault: Water tank empty.");
  expect(v.container.textContent).not.toContain("Waits for the machine to be ready.");
  cleanup();
  useMachine.setState({ snapshot: { ...ready, ready: false, stale: true, link: "down" } });
  expect(show().container.textContent).toContain("The machine is not answering");
  cleanup();
  useMachine.setState({ snapshot: { ...ready, ready: false, state: "idle" } });
  expect(show().container.textContent).toContain("The machine is off");
});
