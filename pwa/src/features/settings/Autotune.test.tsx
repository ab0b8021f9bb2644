/** The autotune panel shows a pushed result's gains (and never applies them on its own), or why there are none. */
import { afterEach, expect, test } from "bun:test";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, render } from "@testing-library/react";
import { useMachine } from "../../connection/machine-store.ts";
import { Autotune } from "./Autotune.tsx";

afterEach(cleanup);

function show() {
  const q = new QueryClient({ defaultOptions: { queries: { retry: false, enabled: false } } });
  return render(
    <QueryClientProvider client={q}>
      <Autotune />
    </QueryClientProvider>,
  );
}

test("proposed gains are listed with a save button; a failed run says why", () => {
  useMachine.setState({
    autotune: {
      boiler: "brew",
      status: "ok",
      kp_milli: 434374,
      ki_milli: 4223,
      kd_milli: 1395970,
      period_s: 51.4,
      amplitude_c: 0.62,
      at_ms: 1,
    },
  });
  const v = show();
  const rows = v.getAllByRole("row").map((r) => r.textContent);
  expect(rows).toContain("KP434.4–");
  expect(rows).toContain("KI4.2–");
  expect(v.getByText("Measured swing: 0.62 °C every 51 s.")).toBeTruthy();
  expect(v.getByRole("button", { name: "Save these gains" })).toBeTruthy();
  act(() =>
    useMachine.setState({
      autotune: { boiler: "brew", status: "no_oscillation", kp_milli: 0, ki_milli: 0, kd_milli: 0, period_s: 0, amplitude_c: 0, at_ms: 2 },
    }),
  );
  expect(v.getByText(/No gains this time: the temperature did not swing enough to measure/)).toBeTruthy();
  expect(v.queryByRole("button", { name: "Save these gains" })).toBeNull();
});
