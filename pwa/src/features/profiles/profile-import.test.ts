/** Profile files from BrewOS, Gaggiuino and GaggiMate; anything else is refused with a reason. */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { importProfileText } from "./profile-import.ts";

const bundled = readFileSync(join(import.meta.dir, "../../../../protocol/profile/bundled/classic-9bar.json"), "utf8");

test("ours, Gaggiuino's and GaggiMate's files are recognised; what did not map is listed", () => {
  const ours = importProfileText(bundled);
  expect(ours).toMatchObject({ ok: true, source: "BrewOS", unmapped: [] });
  const ggu = importProfileText(
    JSON.stringify({
      name: "Bloom",
      phases: [
        {
          name: "fill",
          type: "FLOW",
          target: { start: 4, end: 4, curve: "INSTANT", time: 0 },
          stopConditions: { time: 15000, waterPumpedInPhase: 40 },
        },
      ],
    }),
  );
  expect(ggu.ok && ggu.source).toBe("Gaggiuino");
  expect(ggu.ok && ggu.unmapped.some((u) => u.includes("waterPumpedInPhase"))).toBe(true);
  const gm = importProfileText(
    JSON.stringify({
      label: "GM",
      type: "pro",
      phases: [{ name: "Brew", phase: "brew", valve: 1, duration: 30, pump: { target: "pressure", pressure: 9, flow: -1 }, targets: [] }],
    }),
  );
  expect(gm.ok && gm.source).toBe("GaggiMate");
  expect(gm.ok && gm.profile.phases[0]?.to).toBe(9);
});

test("broken files say why and import nothing", () => {
  expect(importProfileText("{nope")).toEqual({ ok: false, message: "the file is neither JSON nor a Decent Tcl profile" });
  expect(importProfileText("[1,2]").ok).toBe(false);
  expect(importProfileText(JSON.stringify({ name: "x", phases: [] })).ok).toBe(false);
  const over = JSON.parse(bundled) as { phases: { to: number }[] };
  (over.phases[0] as { to: number }).to = 99;
  const r = importProfileText(JSON.stringify(over));
  expect(r.ok).toBe(false);
  expect(!r.ok && r.message).toContain("to");
});
