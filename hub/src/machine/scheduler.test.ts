import { describe, expect, test } from "bun:test";
import { HeatingStrategy, MachineMode } from "@brewos/protocol/uart";
import { ControllerLink } from "../controller-link/controller-link.ts";
import { HubSettings, type Schedule } from "../settings/schema.ts";
import { MachineControl } from "./control.ts";
import { Scheduler } from "./scheduler.ts";

/** Control of a hub whose link is not started: mode and strategy changes need no controller. */
function rig(schedules: Schedule[], autoOffMin = 60) {
  const control: MachineControl = new MachineControl(
    new ControllerLink({
      open: () => Promise.reject(new Error("not used")),
      desired: () => control.current(),
    }),
  );
  let now = new Date(2026, 10, 23, 6, 29, 50).getTime(); // a Monday, local time
  let brewing = false;
  const s = new Scheduler({
    control,
    brewing: () => brewing,
    settings: () => ({ ...HubSettings.parse({ schedules, auto_off: { enabled: true, minutes: autoOffMin } }) }),
    now: () => now,
  });
  return {
    control,
    s,
    advance: async (ms: number) => {
      const end = now + ms;
      while (now < end) {
        now = Math.min(end, now + 10_000);
        await s.tick();
      }
    },
    setBrewing: (b: boolean) => {
      brewing = b;
    },
  };
}

const on = (over: Partial<Schedule> = {}): Schedule => ({
  id: 1,
  name: "weekday warm-up",
  enabled: true,
  days: ["mon", "tue", "wed", "thu", "fri"],
  time: "06:30",
  action: "on",
  ...over,
});

describe("schedules and auto power-off", () => {
  test("a weekday schedule turns the machine on at its minute, with its heating strategy, once", async () => {
    const r = rig([on({ heating_strategy: "parallel" })]);
    await r.advance(5_000);
    expect(r.control.current().mode).toBe(MachineMode.standby);
    await r.advance(10_000); // 06:30:05
    expect(r.control.current()).toMatchObject({ mode: MachineMode.brew, heating_strategy: HeatingStrategy.parallel });
    await r.control.run({ type: "set_mode", mode: "standby" }); // someone turns it off again
    await r.advance(40_000); // still 06:30: it does not fire twice
    expect(r.control.current().mode).toBe(MachineMode.standby);
  });

  test("off wins over on in the same minute; disabled schedules and other days do nothing", async () => {
    const r = rig([
      on({ id: 1 }),
      on({ id: 2, action: "off" }),
      on({ id: 3, enabled: false }),
      on({ id: 4, days: ["sat"], time: "06:31" }),
    ]);
    await r.control.run({ type: "set_mode", mode: "brew" });
    await r.advance(20_000);
    expect(r.control.current().mode).toBe(MachineMode.standby);
    const weekend = rig([on({ id: 4, days: ["sat", "sun"] })]);
    await weekend.advance(120_000);
    expect(weekend.control.current().mode).toBe(MachineMode.standby);
  });

  test("auto power-off after the idle time, never during a shot; activity restarts the clock", async () => {
    const r = rig([], 60);
    await r.control.run({ type: "set_mode", mode: "brew" });
    r.s.noteActivity();
    await r.advance(59 * 60_000);
    expect(r.control.current().mode).toBe(MachineMode.brew);
    r.setBrewing(true);
    await r.advance(5 * 60_000); // a long shot (or steaming) keeps it on
    expect(r.control.current().mode).toBe(MachineMode.brew);
    r.setBrewing(false);
    await r.advance(59 * 60_000);
    expect(r.control.current().mode).toBe(MachineMode.brew);
    await r.advance(2 * 60_000);
    expect(r.control.current().mode).toBe(MachineMode.standby);
  });

  test("schedules are validated: ids, days, time", () => {
    expect(HubSettings.safeParse({ schedules: [on(), on()] }).success).toBe(false); // same id twice
    expect(HubSettings.safeParse({ schedules: [on({ time: "25:00" })] }).success).toBe(false);
    expect(HubSettings.safeParse({ schedules: [on({ days: [] })] }).success).toBe(false);
    expect(HubSettings.safeParse({ schedules: Array.from({ length: 11 }, (_, i) => on({ id: i + 1 })) }).success).toBe(false);
  });
});
