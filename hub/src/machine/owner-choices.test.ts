/**
 * What the owner chose for the machine — brew and steam targets, heating strategy, eco — survives a
 * hub restart (SQLite on disk); the mode does not: a restarted hub asks for standby. A damaged
 * stored row is ignored.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hubOnDisk } from "../testing/hub-on-disk.ts";

const dir = mkdtempSync(join(tmpdir(), "brewos-choices-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("targets, strategy and eco are kept across a restart; the mode goes back to standby", async () => {
  const a = await hubOnDisk({ dataDir: dir });
  try {
    for (const c of [
      { type: "set_setpoints", brew_c: 94.5, steam_c: 130 },
      { type: "set_heating_strategy", strategy: "parallel" },
      { type: "set_eco", on: true },
      { type: "set_mode", mode: "brew" },
    ] as const)
      expect((await a.hub.control.run(c)).ok).toBe(true);
  } finally {
    await a.stop();
  }
  const b = await hubOnDisk({ dataDir: dir });
  try {
    expect(b.hub.model.snapshot()).toMatchObject({
      mode: "standby",
      brew_target_c: 94.5,
      steam_target_c: 130,
      heating_strategy: "parallel",
      eco: true,
    });
    expect(b.hub.control.current()).toMatchObject({ brew_setpoint_cdeg: 9450, steam_setpoint_cdeg: 13000 });
    b.hub.db.run(`UPDATE meta SET value = '{"brew_target_c": 900, "heating_strategy": "fastest"' WHERE key = 'desired'`);
  } finally {
    await b.stop();
  }
  const c = await hubOnDisk({ dataDir: dir });
  try {
    expect(c.hub.model.snapshot()).toMatchObject({ brew_target_c: 93, heating_strategy: "sequential" }); // damaged: defaults
  } finally {
    await c.stop();
  }
});
