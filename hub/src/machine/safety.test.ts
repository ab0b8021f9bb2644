/**
 * Safety as the hub's API sees it, on the real simulator: a trip drops the hub to standby and a
 * clear never resumes heating by itself; stops that would round to "no stop" are refused; a lost
 * link is reported as stale; and random sequences of settings and commands never let the
 * simulator's true water exceed its limit (read from the simulator's own plant, `--peaks`).
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CONFIG_KEYS } from "@brewos/protocol/uart";
import fc from "fast-check";
import { hubOnSim } from "../testing/hub-on-disk.ts";

const SPEED = 100;

async function until(what: string, ok: () => boolean, ms = 20000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(10);
  }
}

const post = (base: string, body: unknown) =>
  fetch(`${base}/api/commands`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("safety through the hub", () => {
  test("a trip drops the hub to standby; clearing it does not heat until the owner turns the machine on", async () => {
    const dir = mkdtempSync(join(tmpdir(), "brewos-safety-"));
    const scenario = join(dir, "faults.json");
    writeFileSync(
      scenario,
      JSON.stringify({
        name: "brew sensor unplugged and plugged back",
        machine: "dual_boiler",
        duration_s: 10000,
        events: [
          { t_s: 120, do: "fault", kind: "brew_sensor_open" },
          { t_s: 200, do: "clear_fault", kind: "brew_sensor_open" },
        ],
      }),
    );
    const h = await hubOnSim("dual_boiler", { speed: SPEED, simArgs: ["--scenario", scenario] });
    try {
      expect((await post(h.base, { type: "set_mode", mode: "brew" })).status).toBe(200);
      await until("the trip", () => h.hub.model.snapshot().state === "safe");
      expect(h.hub.control.current().mode).toBe(0); // standby: the hub stopped asking for heat
      await until("the sensor back", () => h.hub.model.snapshot().brew_c > 20 && h.hub.model.snapshot().brew_c < 150, 20000);
      // The sensor is back (t >= 200 s of machine time): the clear works, the heaters stay off.
      await Bun.sleep(1000);
      // Two clears at once (2 s of machine time is 20 ms here, so they must not wait on each other):
      // one works, the other is refused with a reason, not silently ignored.
      const both = await Promise.all([post(h.base, { type: "clear_fault" }), post(h.base, { type: "clear_fault" })]);
      expect(both.map((r) => r.status).sort()).toEqual([200, 429]);
      const again = both.find((r) => r.status !== 200) as Response;
      expect(((await again.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
      await until("out of safe", () => h.hub.model.snapshot().state !== "safe");
      const offSince = Date.now();
      while (Date.now() - offSince < 300) {
        expect(h.hub.model.snapshot().brew_heater_pct ?? 0).toBe(0);
        await Bun.sleep(20);
      }
      expect((await post(h.base, { type: "set_mode", mode: "brew" })).status).toBe(200);
      await until("heating again", () => (h.hub.model.snapshot().brew_heater_pct ?? 0) > 0);
    } finally {
      await h.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60000);

  test("a stop that would round to no stop is refused; a lost link reads as stale with outputs unknown", async () => {
    const h = await hubOnSim("dual_boiler", { speed: SPEED });
    try {
      for (const bad of [{ stop_time_s: 1e-300 }, { stop_time_s: 0.4 }, { target_g: 0.01 }, { stop_volume_ml: 1 }]) {
        const r = await post(h.base, { type: "start_shot", ...bad });
        expect({ bad, status: r.status }).toEqual({ bad, status: 400 });
      }
      await until("live", () => h.hub.model.snapshot().link === "up" && h.hub.model.snapshot().brew_heater_pct !== null);
      const pid = Number(h.hub.link.health().transport?.match(/pid (\d+)/)?.[1]);
      process.kill(pid, "SIGSTOP"); // the controller goes silent (a hung board), the pipe stays open
      try {
        await until("stale", () => h.hub.model.snapshot().stale, 15000);
        const s = (await (await fetch(`${h.base}/api/state`)).json()) as Record<string, unknown>;
        expect(s).toMatchObject({ link: "down", stale: true, ready: false, brew_heater_pct: null, steam_heater_pct: null, pump_pct: null });
      } finally {
        process.kill(pid, "SIGCONT");
      }
    } finally {
      await h.stop();
    }
  }, 60000);

  test("random settings and commands through the API never let the true water exceed its limit", async () => {
    const keys = ["brew", "steam"].flatMap((b) => [`${b}_ntc_r25_ohm`, `${b}_ntc_beta_k`, `${b}_ntc_pullup_ohm`, `${b}_temp_offset_cdeg`]);
    const key = (name: string) => CONFIG_KEYS.find((k) => k.name === name) as { min: number; max: number };
    const patch = fc.constantFrom(...keys).chain((name) =>
      // The edges of each range are where an attack (or a slip) would go: draw them often.
      fc
        .oneof(fc.constant(key(name).min), fc.constant(key(name).max), fc.integer({ min: key(name).min, max: key(name).max }))
        .map((value) => ({ kind: "patch" as const, name, value })),
    );
    const command = fc.oneof(
      fc.record({ type: fc.constant("set_mode"), mode: fc.constantFrom("brew", "steam", "standby") }),
      fc.record({
        type: fc.constant("set_setpoints"),
        brew_c: fc.integer({ min: 95, max: 105 }),
        steam_c: fc.integer({ min: 130, max: 160 }),
      }),
      fc.constant({ type: "clear_fault" }),
      fc.record({ type: fc.constant("start_shot"), dose_g: fc.integer({ min: 7, max: 22 }), stop_time_s: fc.integer({ min: 5, max: 60 }) }),
      fc.constant({ type: "stop_shot" }),
    );
    const step = fc.tuple(
      fc.oneof(
        patch,
        command.map((c) => ({ kind: "command" as const, c })),
      ),
      fc.integer({ min: 50, max: 400 }),
    );
    // The owner's limits, set while the machine is cold (lowering a limit under hot water is not a
    // breach of it): the lower they are, the nearer the random setpoints and calibrations push.
    const limits = fc.record({
      brew_max_cdeg: fc.integer({ min: key("brew_max_cdeg").min, max: 11000 }),
      steam_max_cdeg: fc.integer({ min: key("steam_max_cdeg").min, max: 15000 }),
    });
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(limits, fc.array(step, { minLength: 10, maxLength: 25 }), async (limit, steps) => {
        runs++;
        const dir = mkdtempSync(join(tmpdir(), "brewos-peaks-"));
        const peaks = join(dir, "peaks.json");
        const h = await hubOnSim("dual_boiler", { speed: SPEED, simArgs: ["--peaks", peaks] });
        try {
          await fetch(`${h.base}/api/settings`, {
            method: "PATCH",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ controller: limit }),
          });
          await post(h.base, { type: "set_mode", mode: "brew" });
          for (const [s, waitMs] of steps) {
            if (s.kind === "patch")
              await fetch(`${h.base}/api/settings`, {
                method: "PATCH",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ controller: { [s.name]: s.value } }),
              });
            else await post(h.base, s.c);
            await Bun.sleep(waitMs); // 5-40 s of machine time
          }
          await Bun.sleep(1100); // the peaks file is rewritten every simulated second
          const p = JSON.parse(readFileSync(peaks, "utf8")) as Record<string, number>;
          expect(p.brew_true_peak_c as number).toBeLessThanOrEqual((p.brew_limit_c as number) + 2);
          expect(p.steam_true_peak_c as number).toBeLessThanOrEqual((p.steam_limit_c as number) + 2);
        } finally {
          await h.stop();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      {
        numRuns: Number(process.env.BREWOS_SAFETY_RUNS ?? 6),
        seed: Number(process.env.BREWOS_SAFETY_SEED ?? Date.now() % 100000),
        verbose: 1,
      },
    );
    console.log(`safety property: ${runs} runs of random settings and commands, true water within its limit`);
  }, 300000);
});
