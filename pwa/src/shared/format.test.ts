/** People's units: one precision for energy, so today and the total never contradict each other. */
import { expect, test } from "bun:test";
import { kwh } from "./format.ts";

test("today 0.44 kWh and a total of 0.44 kWh read the same, not 0.44 beside 0.4", () => {
  expect(kwh(440)).toBe("0.44 kWh");
  expect(kwh(440.4)).toBe("0.44 kWh");
  expect(kwh(12_345)).toBe("12.35 kWh");
  expect(kwh(0)).toBe("0.00 kWh");
});
