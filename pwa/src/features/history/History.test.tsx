/** History rows: each shot with its beans and how many days off roast they were when it was pulled. */
import { afterEach, expect, test } from "bun:test";
import { cleanup, render } from "@testing-library/react";
import { db } from "../../data/db.ts";
import { eventually } from "../../testing/eventually.ts";
import History from "./History.tsx";

afterEach(async () => {
  cleanup();
  await db.shots.clear();
  await db.beans.clear();
});

test("a shot that names a library bean says how many days off roast it was", async () => {
  const bean = "01a23281-91b6-7002-b082-62bd5c716d65";
  await db.beans.put({
    id: bean,
    server_seq: 1,
    values: {
      name: "Kenya AA",
      roaster: "Square Mile",
      origin: null,
      roast_date: "2026-11-20",
      notes: null,
      grinder: null,
      grind_setting: "12",
      deleted: false,
    },
    clocks: {},
  });
  await db.shots.put({
    id: "01a23281-91b6-7002-b082-62bd5c716d66",
    server_seq: 2,
    status: "complete",
    source: "command",
    started_at_ms: new Date(2026, 11, 1, 8, 0).getTime(),
    duration_ms: 30_000,
    stop_reason: "weight",
    end_flags: [],
    profile_slot: 0,
    profile_name: null,
    target_g: 36,
    final_weight_g: 36,
    settled_weight_g: 36.4,
    volume_ml: 44,
    max_pressure_bar: 9,
    mean_brew_c: 93,
    sample_count: 0,
    values: {
      notes: null,
      rating: 4,
      beans: "Kenya AA · Square Mile",
      grind: "12",
      dose_g: 18,
      yield_g: null,
      deleted: false,
      bean_id: bean,
    },
    clocks: {},
  });
  const v = render(<History />);
  await eventually(() => expect(v.container.querySelector(".shot-row")?.textContent).toContain("11 days off roast"));
});
