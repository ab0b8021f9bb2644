/** Compare: side-by-side numbers and their difference, in the phone's units. */
import { afterEach, expect, test } from "bun:test";
import { cleanup, render } from "@testing-library/react";
import type { LocalShot } from "../../data/db.ts";
import { usePreferences } from "../../shared/preferences.ts";
import { CompareTable } from "./CompareTable.tsx";

afterEach(() => {
  cleanup();
  usePreferences.getState().set({ unit: "C", pressureUnit: "bar", weightUnit: "g" });
});

const shot = (over: Partial<LocalShot>, values: Partial<LocalShot["values"]> = {}): LocalShot =>
  ({
    id: "x",
    duration_ms: 28_000,
    final_weight_g: 36,
    settled_weight_g: 36.4,
    volume_ml: 42,
    max_pressure_bar: 9.1,
    mean_brew_c: 93,
    values: { dose_g: 18, yield_g: null, notes: null, rating: null, beans: null, grind: null, deleted: false, ...values },
    ...over,
  }) as LocalShot;

const rows = (v: ReturnType<typeof render>) =>
  [...v.container.querySelectorAll("tbody tr")].map((tr) => [...tr.children].map((c) => c.textContent));

test("time, yield, ratio, peak pressure, mean flow and temperature, with the difference", () => {
  const v = render(
    <CompareTable
      a={shot({})}
      b={shot({ duration_ms: 31_500, settled_weight_g: 40, max_pressure_bar: 8.2, mean_brew_c: 94 })}
      names={["This shot", "Yesterday"]}
    />,
  );
  expect(v.getByRole("columnheader", { name: /Yesterday/ })).toBeTruthy();
  expect(rows(v)).toEqual([
    ["Time", "28.0 s", "31.5 s", "+3.5 s"],
    ["Yield", "36.4 g", "40.0 g", "+3.6 g"],
    ["Ratio", "1:2.02", "1:2.22", "+0.20"],
    ["Peak pressure", "9.1 bar", "8.2 bar", "−0.9 bar"],
    ["Mean flow", "1.50 ml/s", "1.33 ml/s", "−0.17 ml/s"],
    ["Brew water", "93.0 °C", "94.0 °C", "+1.0 °C"],
  ]);
});

test("in °F, psi and ounces when the phone is set so", () => {
  usePreferences.getState().set({ unit: "F", pressureUnit: "psi", weightUnit: "oz" });
  const v = render(<CompareTable a={shot({})} b={shot({ mean_brew_c: 94 })} names={["This shot", "Other"]} />);
  const r = rows(v);
  expect(r[1]).toEqual(["Yield", "1.28 oz", "1.28 oz", "±0.00 oz"]);
  expect(r[3]?.[1]).toBe("132 psi");
  expect(r[5]).toEqual(["Brew water", "199.4 °F", "201.2 °F", "+1.8 °F"]);
});
