/**
 * The Brew screen: says how the next shot will stop before it starts, shows the hub's recipe and
 * only the profiles this machine can run, warns when the scale goes silent, says why a shot cannot
 * start, and keeps the last shot frozen with the settled cup after it ends.
 */
import { afterEach, expect, test } from "bun:test";
import type { NextShot, ShotRecord } from "@brewos/protocol/api";
import type { Profile } from "@brewos/protocol/profile";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, fireEvent, render } from "@testing-library/react";
import { useMachine } from "../../connection/machine-store.ts";
import { usePreferences } from "../../shared/preferences.ts";
import { machineSnapshot } from "../../testing/snapshot.ts";
import Brew from "./Brew.tsx";

afterEach(() => {
  cleanup();
  localStorage.clear();
  useMachine.setState({ nextShot: null, lastShot: null, fromCache: false });
});

const ready = machineSnapshot({ state: "ready", ready: true, eta_ready_s: 0, brew_c: 93, steam_c: 125, group_c: 88, brew_heater_pct: 4 });
const recipe: NextShot = {
  profile_id: null,
  dose_g: 18,
  target_g: 36,
  stop_time_s: null,
  updated_by: "default",
  updated_at_ms: 0,
};
const phase = (mode: "pressure" | "power", to: number) => ({
  name: mode,
  mode,
  from: null,
  to,
  curve: "instant" as const,
  over_s: 0,
  exit: {},
});
const PROFILES: { bundled: Profile[]; custom: Profile[] } = {
  bundled: [
    { id: "classic-9bar", name: "Classic 9 bar", phases: [phase("pressure", 9)] },
    { id: "full-on", name: "Full on", phases: [phase("power", 100)] },
  ],
  custom: [],
};

const PRE = { name: "preinfusion_on_ms", unit: "ms", min: 0, max: 10000, default: 0, value: 2500, source: "hub" };

function show(profiles?: typeof PROFILES) {
  const q = new QueryClient({ defaultOptions: { queries: { retry: false, enabled: false, staleTime: Number.POSITIVE_INFINITY } } });
  q.setQueryData(["latest-shot"], { shots: [], next: null });
  if (profiles) q.setQueryData(["profiles"], { ...profiles, slots: {} });
  q.setQueryData(["controller-keys"], { keys: [PRE] });
  return render(
    <QueryClientProvider client={q}>
      <Brew />
    </QueryClientProvider>,
  );
}

test("with no scale the stop is the target's volume, and a time limit joins it; the time field is always there", () => {
  useMachine.setState({ snapshot: ready, status: "connected", nextShot: recipe });
  const v = show();
  expect(v.getByTestId("stop-words").textContent).toBe("No scale: stops on the volume that makes 36 g in the cup.");
  fireEvent.change(v.getByLabelText("Time limit (s)"), { target: { value: "40" } });
  expect(v.getByTestId("stop-words").textContent).toBe("No scale: stops on the volume that makes 36 g in the cup, or at 40 s.");
  fireEvent.change(v.getByLabelText("Target weight (g)"), { target: { value: "" } });
  expect(v.getByTestId("stop-words").textContent).toBe("Stops at 40 s (or the profile's own end).");
  // The edit waits on this phone until the hub takes it, and says so.
  expect(JSON.parse(localStorage.getItem("brewos.next-shot-waiting") ?? "{}")).toEqual({ stop_time_s: 40, target_g: null });
});

test("the recipe is the hub's: a change from Home Assistant shows here; ounces when chosen", () => {
  useMachine.setState({ snapshot: ready, status: "connected", nextShot: recipe });
  const v = show();
  expect((v.getByLabelText("Target weight (g)") as HTMLInputElement).value).toBe("36");
  act(() => useMachine.setState({ nextShot: { ...recipe, target_g: 40, updated_by: "home_assistant" } }));
  expect((v.getByLabelText("Target weight (g)") as HTMLInputElement).value).toBe("40");
  act(() => usePreferences.getState().set({ weightUnit: "oz" }));
  expect((v.getByLabelText("Target weight (oz)") as HTMLInputElement).value).toBe("1.4");
  expect(v.getByTestId("stop-words").textContent).toBe("No scale: stops on the volume that makes 1.4 oz in the cup.");
  act(() => usePreferences.getState().set({ weightUnit: "g" }));
});

test("with a scale the stop is the weight, tare is there; a scale lost mid-shot is said at once", () => {
  useMachine.setState({ snapshot: { ...ready, scale_connected: true, weight_g: 0.2 }, status: "connected", nextShot: recipe });
  const v = show();
  expect(v.getByTestId("stop-words").textContent).toBe("Stops at 36 g on the scale.");
  expect(v.getByRole("button", { name: "Tare" })).toBeTruthy();
  expect(v.getByTestId("scale-weight").textContent).toBe("0.2 g");
  cleanup();
  useMachine.setState({ snapshot: { ...ready, brewing: true, state: "brewing", alarm: "scale_lost" }, status: "connected" });
  const w = show();
  expect(w.getByRole("alert").textContent).toContain("The scale went silent");
});

test("only profiles this machine can run are offered; the rest are counted with the reason", () => {
  useMachine.setState({
    snapshot: { ...ready, machine: { type: "dual_boiler", pump: "on_off", capabilities: [] } },
    status: "connected",
    nextShot: recipe,
  });
  const v = show(PROFILES);
  const options = [...(v.getByLabelText("Profile") as HTMLSelectElement).options].map((o) => o.text);
  expect(options).toEqual(["Machine default", "Full on"]);
  expect(v.container.textContent).toContain("1 profile not listed: it holds a pressure or flow");
  cleanup();
  useMachine.setState({ snapshot: ready }); // the demo machine's gear pump runs both
  const w = show(PROFILES);
  expect([...(w.getByLabelText("Profile") as HTMLSelectElement).options].map((o) => o.text)).toEqual([
    "Machine default",
    "Classic 9 bar",
    "Full on",
  ]);
});

test("when a shot cannot start the screen says why: a fault by name and what to do, an unreachable machine, a machine that is off", () => {
  useMachine.setState({ snapshot: { ...ready, ready: false, state: "fault", alarm: "water_empty" }, status: "connected" });
  const v = show();
  expect(v.container.textContent).toContain("Not while there is a fault: Water tank empty.");
  expect(v.container.textContent).not.toContain("Waits for the machine to be ready.");
  cleanup();
  useMachine.setState({ snapshot: { ...ready, ready: false, stale: true, link: "down" } });
  expect(show().container.textContent).toContain("the hub cannot reach the machine's controller");
  cleanup();
  useMachine.setState({ snapshot: ready, status: "reconnecting" });
  const off = show();
  expect(off.container.textContent).toContain("Not live: the app cannot reach the machine");
  expect((off.getByRole("button", { name: "Start shot" }) as HTMLButtonElement).disabled).toBe(true);
  cleanup();
  useMachine.setState({ snapshot: { ...ready, ready: false, state: "idle" }, status: "connected" });
  expect(show().container.textContent).toContain("The machine is off");
});

test("after the shot the result stays: the settled cup (not the weight at the stop), time and ratio", () => {
  const shot = {
    id: "0190a0a0-0000-7000-8000-000000000001",
    shot_token: 7,
    started_at_ms: 1,
    status: "complete",
    dose_g: 18,
    target_g: 36,
    duration_ms: 28_400,
    stop_reason: "weight",
    end_flags: [],
    final_weight_g: 33.7,
    settled_weight_g: 35.8,
    yield_g: null,
  } as unknown as ShotRecord;
  const trace = {
    token: 7,
    t: [0, 1, 2],
    pressure: [0, 4, 9],
    flow: [0, 2, 2],
    weight: [0, 0, 1],
    temp: [93, 93, 93],
    phase: [0, 0, 1],
    version: 3,
  };
  useMachine.setState({ snapshot: ready, status: "connected", lastShot: shot, trace });
  const v = show();
  expect(v.getByTestId("result-yield").textContent).toBe("35.8 g");
  expect(v.getByTestId("result-time").textContent).toBe("28.4 s");
  expect(v.container.textContent).toContain("1:2.0");
  expect(v.container.textContent).toContain("target weight reached");
  act(() => useMachine.setState({ lastShot: { ...shot, settled_weight_g: null } }));
  expect(v.getByTestId("result-yield").textContent).toBe("33.7 g");
  expect(v.container.textContent).toContain("settling…");
});

test("a quick pre-infusion adjust for the machine's own shot; a profile's pre-infusion is the profile's", () => {
  useMachine.setState({ snapshot: ready, status: "connected", nextShot: recipe });
  const v = show(PROFILES);
  const field = v.getByLabelText("Pre-infusion (s)") as HTMLInputElement;
  expect(field.value).toBe("2.5");
  fireEvent.change(field, { target: { value: "40" } });
  expect(v.container.textContent).toContain("from 0 to 10 s");
  expect((v.getByRole("button", { name: "Set" }) as HTMLButtonElement).disabled).toBe(true);
  cleanup();
  useMachine.setState({ nextShot: { ...recipe, profile_id: "classic-9bar" } });
  const w = show(PROFILES);
  expect(w.queryByLabelText("Pre-infusion (s)")).toBeNull();
  expect(w.container.textContent).toContain("Pre-infusion is part of “Classic 9 bar”");
});
