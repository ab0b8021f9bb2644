import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { profileFit } from "./machine-fit.ts";
import type { Profile, ProfilePhase } from "./types.ts";
import { parseProfile } from "./validate.ts";

const here = import.meta.dir;
const bundled = (id: string) => parseProfile(JSON.parse(readFileSync(join(here, "..", "bundled", `${id}.json`), "utf8")));
const phase = (over: Partial<ProfilePhase>): ProfilePhase => ({
  name: "p",
  mode: "power",
  from: null,
  to: 100,
  curve: "instant",
  over_s: 0,
  exit: { time_s: 5 },
  ...over,
});
const profile = (...phases: ProfilePhase[]): Profile => ({ id: "t", name: "T", phases });

describe("profileFit", () => {
  test("agrees with the controller on every bundled profile (vectors/relay-fit.json, checked by C too)", () => {
    const vectors = JSON.parse(readFileSync(join(here, "..", "vectors", "relay-fit.json"), "utf8"));
    expect(vectors.cases.length).toBe(8);
    for (const c of vectors.cases) {
      const fit = profileFit(bundled(c.id), "on_off");
      expect({ id: c.id, ok: fit.ok, phase: fit.phase ?? null }).toEqual({
        id: c.id,
        ok: c.on_off_pump,
        phase: c.first_phase_it_cannot_follow,
      });
    }
  });

  test("a dimmable or gear pump runs everything", () => {
    expect(profileFit(bundled("classic-9bar"), "gear")).toEqual({ ok: true });
    expect(profileFit(bundled("lever-decline"), "dimmable")).toEqual({ ok: true });
  });

  test("on an on/off pump: full on, off and instant steps run; partial power, ramps, pressure and flow do not", () => {
    expect(profileFit(profile(phase({ to: 100 }), phase({ to: 0 }), phase({ from: 0, to: 100, curve: "instant" })), "on_off").ok).toBe(
      true,
    );
    expect(profileFit(profile(phase({ from: 100, to: 100, curve: "linear", over_s: 4 })), "on_off").ok).toBe(true);
    const half = profileFit(profile(phase({ to: 100 }), phase({ name: "soft", to: 50 })), "on_off");
    expect(half).toMatchObject({ ok: false, phase: 1 });
    expect(half.reason).toBe("Phase 2 (“soft”) runs the pump at 50 %; this machine's pump can only be switched on or off.");
    expect(profileFit(profile(phase({ from: 0, to: 100, curve: "linear", over_s: 4 })), "on_off").reason).toContain(
      "ramps the pump from 0 % to 100 %",
    );
    expect(profileFit(profile(phase({ mode: "pressure", to: 9 })), "on_off").reason).toContain("holds 9 bar of pressure");
    expect(profileFit(profile(phase({ mode: "flow", to: 2 })), "on_off").reason).toContain("holds a flow of 2 ml/s");
  });
});
