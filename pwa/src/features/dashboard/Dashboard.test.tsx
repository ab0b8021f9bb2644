/** The dashboard from a machine snapshot: readiness, temperatures in the chosen unit, an alarm with what to do. */
import { afterEach, expect, test } from "bun:test";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, render } from "@testing-library/react";
import { useMachine } from "../../connection/machine-store.ts";
import { usePreferences } from "../../shared/preferences.ts";
import { machineSnapshot } from "../../testing/snapshot.ts";
import { Dashboard } from "./Dashboard.tsx";

afterEach(cleanup);

const base = machineSnapshot();

function show() {
  const q = new QueryClient({ defaultOptions: { queries: { retry: false, enabled: false } } });
  return render(
    <QueryClientProvider client={q}>
      <Dashboard />
    </QueryClientProvider>,
  );
}

test("heating: time to ready and both boilers against their targets; °F when chosen", () => {
  useMachine.setState({ snapshot: base, status: "connected" });
  usePreferences.getState().set({ unit: "C" });
  const v = show();
  expect(v.getByRole("heading", { level: 1 }).textContent).toBe("Heating");
  expect(v.getByText("Ready in about 1 min 35 s")).toBeTruthy();
  expect(v.getByLabelText("Brew temperature").getAttribute("value")).toBe("71.4");
  expect(v.getByText("target 93.0°C")).toBeTruthy();
  act(() => usePreferences.getState().set({ unit: "F" }));
  expect(v.getByText("target 199.4°F")).toBeTruthy();
  act(() => usePreferences.getState().set({ unit: "C" }));
});

test("an alarm says what happened and what to do, with a way to clear it", () => {
  useMachine.setState({ snapshot: { ...base, state: "fault", alarm: "water_empty" }, status: "connected" });
  const v = show();
  const alarm = v.getByRole("alert", { name: "Alarm" });
  expect(alarm.textContent).toContain("Water tank empty");
  expect(alarm.textContent).toContain("Refill the tank");
  expect(v.getByRole("button", { name: "Clear fault" })).toBeTruthy();
});

test("no hub yet: a clear 'connecting' and nothing made up", () => {
  useMachine.setState({ snapshot: null, status: "connecting" });
  const v = show();
  expect(v.getByText("Connecting to the hub…")).toBeTruthy();
  expect(v.queryByLabelText("Brew temperature")).toBeNull();
});

test("after choosing Steam, Steam stays selected while the steam boiler heats (the mode chosen, not the boiler state)", () => {
  useMachine.setState({ snapshot: { ...base, state: "heating", mode: "steam" }, status: "connected" });
  const v = show();
  expect(v.getByRole("button", { name: "Steam" }).getAttribute("aria-pressed")).toBe("true");
  expect(v.getByRole("button", { name: "Brew" }).getAttribute("aria-pressed")).toBe("false");
  act(() => useMachine.setState({ snapshot: { ...base, state: "ready", mode: "brew" } }));
  expect(v.getByRole("button", { name: "Brew" }).getAttribute("aria-pressed")).toBe("true");
});

test("a boiler with no setpoint reads 'heater off' (not 'target 32.0°F') and its bar is empty, not full", () => {
  usePreferences.getState().set({ unit: "F" });
  useMachine.setState({
    snapshot: { ...base, state: "idle", mode: "standby", brew_setpoint_c: 0, steam_setpoint_c: 0, brew_c: 25, steam_c: 25 },
    status: "connected",
  });
  const v = show();
  expect(v.queryByText(/target 32/)).toBeNull();
  expect(v.getAllByText("heater off")).toHaveLength(2);
  const bars = [...v.container.querySelectorAll(".bar span")] as HTMLElement[];
  expect(bars.map((b) => b.style.width)).toEqual(["0%", "0%"]);
  act(() => usePreferences.getState().set({ unit: "C" }));
});

test("the line under the headline says what the state means, never the headline again ('Eco' / 'Eco…')", () => {
  useMachine.setState({ snapshot: { ...base, state: "eco", eta_ready_s: null }, status: "connected" });
  const v = show();
  expect(v.getByRole("heading", { level: 1 }).textContent).toBe("Eco");
  expect(v.queryByText("Eco…")).toBeNull();
  expect(v.getByText(/lower temperature to save energy/)).toBeTruthy();
});

test("Clear fault with the cause still there says so and what to fix, instead of nothing", async () => {
  const snapshot = { ...base, state: "fault", alarm: "water_empty" };
  useMachine.setState({ snapshot, status: "connected", client: { command: async () => ({ ok: true }) } as never });
  const v = show();
  await act(async () => v.getByRole("button", { name: "Clear fault" }).click());
  await act(() => Bun.sleep(1700));
  expect(v.getByText(/Still there: the machine clears it only once the cause is fixed/)).toBeTruthy();
  useMachine.setState({ client: null });
});
