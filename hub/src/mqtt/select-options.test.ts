import { expect, test } from "bun:test";
import type { Profile } from "@brewos/protocol/profile";
import { selectOptions } from "./mqtt-bridge.ts";

const p = (id: string, name: string) => ({ id, name, phases: [] }) as unknown as Profile;

test("profile select options are unique and each names one profile", () => {
  const { names, idByName } = selectOptions(
    [p("classic-9bar", "Classic 9 bar"), p("turbo", "Turbo")],
    [p("a", "Classic 9 bar"), p("b", "Classic 9 bar"), p("c", "Machine default"), p("d", "Sunday")],
  );
  expect(names).toEqual([
    "Machine default",
    "Classic 9 bar",
    "Turbo",
    "Classic 9 bar (yours)",
    "Classic 9 bar (yours 2)",
    "Machine default (yours)",
    "Sunday",
  ]);
  expect(idByName.get("Classic 9 bar")).toBe("classic-9bar");
  expect(idByName.get("Classic 9 bar (yours 2)")).toBe("b");
  expect(idByName.get("Machine default (yours)")).toBe("c");
});
