/**
 * The short soak in CI (npm run soak is the month): three days of use at 100x with 1 % of the link's
 * bytes corrupted, a scale drop every day, a hub restart every day and a SIGKILL mid-shot on day 2.
 * No invariant may break: committed shots survive, no stuck state, no crash, flat RSS.
 */
import { expect, test } from "bun:test";
import { runSoak } from "./soak.ts";

test("three days of hostile use: no invariant broken", async () => {
  const r = await runSoak({ days: 3, speed: 100, shotsPerDay: 3, corruptShare: 0.01, restartEveryDays: 1, killEveryDays: 2 });
  console.log(`soak: ${JSON.stringify(r)}`);
  expect(r.invariant_violations).toEqual([]);
  expect(r.restarts).toBe(2);
  expect(r.kills).toBe(1);
  expect(r.shots_committed).toBe(r.shots_pulled - r.shots_lost_to_kill);
  expect(r.link_bytes_corrupted).toBeGreaterThan(0);
}, 240_000);
