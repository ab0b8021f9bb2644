/** Decent profiles in and out: de1app's Tcl (simple and advanced) and JSON v2, with what does not map said. */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fromDecentJson, fromDecentTcl, ProfileError, parseProfile, toDecentJson } from "./index.ts";
import { tclList } from "./tcl.ts";

const corpus = (dir: string, f: string) => readFileSync(join(import.meta.dir, "..", "corpus", dir, f), "utf8");

test("Tcl lists: braces nest, quotes and backslashes unquote, nothing is evaluated", () => {
  expect(tclList('a {b {c d}} "e f" g\\ h {ramp [$weight]}')).toEqual(["a", "b {c d}", "e f", "g h", "ramp [$weight]"]);
  expect(() => tclList("a {b")).toThrow(ProfileError);
});

test("a simple pressure profile gets the steps de1app builds: boost, preinfusion, 3 s rise, hold with its flow limit", () => {
  const { result, unmapped } = fromDecentTcl(corpus("decent-tcl", "Classic Italian espresso.tcl"));
  expect(result.phases.map((p) => [p.name, p.mode, p.to, p.exit.time_s])).toEqual([
    ["preinfusion temp boost", "flow", 8, 2],
    ["preinfusion", "flow", 8, 6],
    ["forced rise without limit", "pressure", 9, 3],
    ["rise and hold", "pressure", 9, 32],
  ]);
  expect(result.phases[0]?.exit.pressure_above_bar).toBe(4);
  expect(result.phases[3]?.limit).toMatchObject({ flow_ml_s: 4.5 });
  expect(result.phases[2]?.limit).toBeUndefined();
  expect(result.stops).toMatchObject({ weight_g: 36 });
  expect(result.stops?.volume_ml ?? null).toBeNull();
  expect(unmapped.some((u) => u.includes("target_volume 36 ml counts from step 3"))).toBe(true);
});

test("advanced steps: smooth ramps across the step from the last set value, 0 s steps never run, one exit each", () => {
  const { result, unmapped } = fromDecentJson(JSON.parse(corpus("decent-json", "adaptive_v2.json")));
  const pressurize = result.phases.find((p) => p.name === "Pressurize");
  expect(pressurize).toMatchObject({ mode: "pressure", from: 0.1, to: 11, curve: "linear", over_s: 6, limit: { flow_ml_s: 3.5 } });
  expect(pressurize?.exit).toEqual({ time_s: 6, volume_ml: 100, pressure_above_bar: 8.8 });
  expect(result.phases.some((p) => p.name === "Extraction start")).toBe(false);
  expect(unmapped.some((u) => u.includes('"Extraction start" lasts 0 s'))).toBe(true);
  // Pump mode changes (pressure → flow): the ramp starts from what is measured.
  expect(result.phases.at(-1)).toMatchObject({ mode: "flow", from: null, curve: "linear", over_s: 60 });
});

test("an exit_if 0 step's exit_type is not an exit; a step weight is, as de1app checks it", () => {
  const { result } = fromDecentTcl(corpus("decent-tcl", "Londonium.tcl"));
  expect(result.phases[1]?.exit).toEqual({ time_s: 12, volume_ml: 100 });
  const df = fromDecentJson(JSON.parse(corpus("decent-json", "d_flow_default.json"))).result;
  expect(df.phases[1]?.exit.weight_g).toBe(4);
});

test("export to JSON v2 reads back as the same shot; what a DE1 cannot say is listed", () => {
  const bundled = parseProfile(JSON.parse(readFileSync(join(import.meta.dir, "..", "bundled", "lever-decline.json"), "utf8")));
  const out = toDecentJson(bundled);
  expect(out.result.version).toBe("2");
  const back = fromDecentJson(out.result).result;
  expect(back.stops?.weight_g).toBe(bundled.stops?.weight_g ?? undefined);
  const total = (p: typeof bundled) => p.phases.reduce((s, ph) => s + (ph.exit.time_s ?? 127), 0);
  expect(total(back)).toBeCloseTo(total(bundled), 5);
  const power = toDecentJson({
    id: "p",
    name: "P",
    phases: [{ name: "pulse", mode: "power", from: null, to: 60, curve: "instant", over_s: 0, exit: { time_s: 5 } }],
  });
  expect(power.unmapped.join()).toContain("power 60 %");
});
