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
  expect(v.getByTestId("brew-target").textContent).toBe("target 93.0 °C");
  act(() => usePreferences.getState().set({ unit: "F" }));
  expect(v.getByTestId("brew-target").textContent).toBe("target 199.4 °F");
  act(() => usePreferences.getState().set({ unit: "C" }));
});

test("temperatures are adjusted in place: a step of 0.5 °C (1 °F when chosen), within the boiler's range", async () => {
  const sent: Record<string, unknown>[] = [];
  const client = {
    command: async (c: Record<string, unknown>) => {
      sent.push(c);
      return { ok: true };
    },
  } as never;
  useMachine.setState({ snapshot: base, status: "connected", client });
  const v = show();
  await act(async () => v.getByRole("button", { name: "Brew target up" }).click());
  await act(async () => v.getByRole("button", { name: "Steam target down" }).click());
  expect(sent).toEqual([
    { type: "set_setpoints", brew_c: 93.5 },
    { type: "set_setpoints", steam_c: 124.5 },
  ]);
  act(() => usePreferences.getState().set({ unit: "F" }));
  await act(async () => v.getByRole("button", { name: "Brew target up" }).click());
  expect(sent.at(-1)).toEqual({ type: "set_setpoints", brew_c: 93.56 });
  act(() => usePreferences.getState().set({ unit: "C" }));
  act(() => useMachine.setState({ snapshot: { ...base, brew_target_c: 100 } }));
  await act(async () => v.getByRole("button", { name: "Brew target up" }).click());
  expect(sent.at(-1)).toEqual({ type: "set_setpoints", brew_c: 100 });
  useMachine.setState({ client: null });
});

test("honest heat-up: the bar runs from where this heat-up started; eco shows the chosen target and what it aims at", () => {
  useMachine.setState({ snapshot: { ...base, brew_c: 71.4 }, status: "connected" });
  const v = show();
  const brewBar = () => (v.container.querySelector(".bar span") as HTMLElement).style.width;
  expect(brewBar()).toBe("0%"); // 71.4 °C is where it started, not 73 % of the way from 20 °C
  act(() => useMachine.setState({ snapshot: { ...base, brew_c: 82.2 } }));
  expect(brewBar()).toBe("50%");
  cleanup();
  useMachine.setState({ snapshot: { ...base, state: "eco", brew_setpoint_c: 80, brew_c: 80 } });
  const eco = show();
  expect(eco.getByTestId("brew-target").textContent).toBe("target 93.0 °C");
  expect(eco.getByText("now aiming at 80.0 °C")).toBeTruthy();
});

test("a dual boiler whose group is still cold is not 'Ready': the group's temperature is part of it", () => {
  useMachine.setState({ snapshot: { ...base, state: "ready", ready: true, eta_ready_s: 0, brew_c: 93, group_c: 38 }, status: "connected" });
  const v = show();
  expect(v.getByRole("heading", { level: 1 }).textContent).toBe("Warming the group");
  expect(v.queryByText("Ready to brew")).toBeNull();
  expect(v.container.textContent).toContain("the group is still warming (38.0 °C)");
  act(() => useMachine.setState({ snapshot: { ...base, state: "ready", ready: true, eta_ready_s: 0, brew_c: 93, group_c: 86 } }));
  expect(v.getByText("Ready to brew")).toBeTruthy();
});

test("values that are not live say so with their age, look dimmed, and the controls wait", () => {
  useMachine.setState({ snapshot: base, status: "reconnecting", receivedAt: Date.now() - 65_000 });
  const v = show();
  const notice = v.getByRole("status", { name: "Not live" });
  expect(notice.textContent).toContain("the app cannot reach the machine");
  expect(notice.textContent).toContain("Last heard 1 min ago");
  expect(v.container.querySelector(".not-live")).not.toBeNull();
  expect((v.getByRole("button", { name: "Turn off" }) as HTMLButtonElement).disabled).toBe(true);
  cleanup();
  useMachine.setState({ snapshot: { ...base, stale: true, link: "down" }, status: "connected" });
  expect(show().getByRole("status", { name: "Not live" }).textContent).toContain("the hub cannot reach the machine's controller");
  cleanup();
  useMachine.setState({ snapshot: base, status: "connected" });
  expect(show().queryByRole("status", { name: "Not live" })).toBeNull();
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

test("in German when the owner chooses it: words from the catalogue, numbers with a decimal comma", () => {
  usePreferences.getState().set({ language: "de" });
  useMachine.setState({ snapshot: base, status: "connected" });
  const v = show();
  expect(v.getByRole("heading", { level: 1 }).textContent).toBe("Heizt auf");
  expect(v.getByText("Bereit in etwa 1 min 35 s")).toBeTruthy();
  expect(v.getByTestId("brew-target").textContent).toBe("Ziel 93,0 °C");
  expect(v.getByRole("button", { name: "Ausschalten" })).toBeTruthy();
  expect(v.getByRole("button", { name: "Brühen: Ziel höher" })).toBeTruthy();
  act(() => usePreferences.getState().set({ language: "en" }));
});

test("a flush button runs water through the group when the machine is ready (not before)", async () => {
  const sent: Record<string, unknown>[] = [];
  const client = {
    command: async (c: Record<string, unknown>) => {
      sent.push(c);
      return { ok: true };
    },
  } as never;
  useMachine.setState({ snapshot: { ...base, state: "ready", ready: true }, status: "connected", client });
  const v = show();
  await act(async () => v.getByRole("button", { name: "Flush 5 s" }).click());
  expect(sent).toEqual([{ type: "flush", seconds: 5 }]);
  act(() => useMachine.setState({ snapshot: { ...base, state: "heating", ready: false } }));
  expect((v.getByRole("button", { name: "Flush 5 s" }) as HTMLButtonElement).disabled).toBe(true);
  useMachine.setState({ client: null });
});
