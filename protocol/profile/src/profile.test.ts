import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { encodeProfile, fromGaggiuino, ProfileError, parseProfile, relayCompatible } from "./index.ts";

const root = join(import.meta.dir, "..");
const bundled = (id: string) => parseProfile(JSON.parse(readFileSync(join(root, "bundled", `${id}.json`), "utf8")));

describe("shot profiles", () => {
  test("every bundled profile validates and encodes to its golden binary (the C side checks the same file)", () => {
    const { cases } = JSON.parse(readFileSync(join(root, "vectors", "bundled.json"), "utf8")) as { cases: { id: string; hex: string }[] };
    expect(cases.length).toBe(readdirSync(join(root, "bundled")).length);
    for (const c of cases) expect(Buffer.from(encodeProfile(bundled(c.id))).toString("hex")).toBe(c.hex);
  });

  test("the eight bundled ids exist", () => {
    for (const id of ["classic-9bar", "preinfusion-9bar", "blooming", "lever-decline", "flow-profiled", "turbo", "backflush", "descale"]) {
      expect(bundled(id).id).toBe(id);
    }
  });

  test("bad input is refused with its place named", () => {
    const good = JSON.parse(readFileSync(join(root, "bundled", "classic-9bar.json"), "utf8"));
    const bad = (mutate: (p: Record<string, unknown>) => void) => {
      const p = structuredClone(good);
      mutate(p);
      return () => parseProfile(p);
    };
    expect(bad((p) => (p.colour = "red"))).toThrow(/unknown key "colour"/);
    const phase = (p: Record<string, unknown>, i: number) => (p.phases as Record<string, unknown>[])[i] ?? {};
    expect(bad((p) => (phase(p, 1).to = 30))).toThrow(/phases\[1\]\.to/);
    expect(bad((p) => (phase(p, 0).curve = "wiggle"))).toThrow(/phases\[0\]\.curve/);
    expect(bad((p) => (p.phases = []))).toThrow(ProfileError);
    expect(bad((p) => (p.phases = Array(17).fill((p.phases as unknown[])[0])))).toThrow(/1\.\.16/);
    expect(() => parseProfile("not an object")).toThrow(ProfileError);
  });

  test("an on/off pump can run only full-or-nothing power phases", () => {
    expect(relayCompatible(bundled("backflush"))).toEqual({ ok: true });
    const r = relayCompatible(bundled("classic-9bar"));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.phase).toBe(0);
  });
});

test("peers' ranges fit: a filter profile stopping at 300 g, 16 phases, a 9 °C 'boiler off' phase", () => {
  const phase = {
    name: "p",
    mode: "flow",
    from: null,
    to: 4,
    curve: "instant",
    over_s: 0,
    temperature_c: 9,
    exit: { time_s: 5, weight_g: 300 },
  };
  const p = parseProfile({ id: "filter", name: "Filter", stops: { weight_g: 300 }, phases: Array(16).fill(phase) });
  expect(p.phases).toHaveLength(16);
  expect(p.stops?.weight_g).toBe(300);
  expect(p.phases[0]?.temperature_c).toBe(9);
  const bin = encodeProfile(p);
  expect(bin.length).toBe(10 + 16 * 26); // the controller's PROFILE_MAX_BYTES holds it
  expect(new DataView(bin.buffer).getUint16(4, true)).toBe(3000); // 300 g in tenths
  expect(() => parseProfile({ id: "x", name: "x", phases: [{ ...phase, temperature_c: 0 }] })).toThrow(/temperature_c/);
});

test("version 2 counts volume exits per phase; a file without a version keeps version 1's meaning on the wire", () => {
  const base = {
    id: "v",
    name: "V",
    phases: [{ name: "a", mode: "flow", from: null, to: 3, curve: "instant", over_s: 0, exit: { volume_ml: 25 } }],
  };
  expect(encodeProfile(parseProfile(base))[0]).toBe(1);
  expect(encodeProfile(parseProfile({ ...base, version: 2 }))[0]).toBe(2);
  expect(() => parseProfile({ ...base, version: 3 })).toThrow("version must be 1 or 2");
  expect(
    fromGaggiuino({ name: "G", phases: [{ type: "FLOW", target: { start: 2, end: 2 }, stopConditions: { waterPumpedInPhase: 30 } }] })
      .result.version,
  ).toBe(2);
});
