import { expect, test } from "bun:test";
import { EMPTY_BEAN } from "@brewos/protocol/sync";
import { beanLabel, daysOffRoast, daysOffRoastWords } from "./beans.ts";

test("days off roast count calendar days, in words", () => {
  const at = new Date(2026, 11, 1, 7, 30).getTime(); // 1 December, 7:30 local
  expect(daysOffRoast("2026-11-20", at)).toBe(11);
  expect(daysOffRoast("2026-12-01", at)).toBe(0);
  expect(daysOffRoast(null, at)).toBeNull();
  expect(daysOffRoast("soon", at)).toBeNull();
  expect(daysOffRoastWords(11)).toBe("11 days off roast");
  expect(daysOffRoastWords(1)).toBe("1 day off roast");
  expect(daysOffRoastWords(-2)).toBe("before its roast date");
});

test("a bean's label is its name and roaster, whichever are there", () => {
  expect(beanLabel({ ...EMPTY_BEAN, name: "Kenya AA", roaster: "Square Mile" })).toBe("Kenya AA · Square Mile");
  expect(beanLabel({ ...EMPTY_BEAN, roaster: "Square Mile" })).toBe("Square Mile");
  expect(beanLabel(EMPTY_BEAN)).toBe("Unnamed beans");
});
