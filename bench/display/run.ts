/**
 * `npm run bench:display`: full redraws of the machine display (LVGL 9.5 software rendering,
 * headless) — the home screen with live numbers and the shot screen with its curve, at 480x480 and
 * 320x240 — fed by a scripted hub. Prints JSON; the budget is a full 480x480 redraw ≤ 30 ms.
 * Needs build/display (npm test builds it).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DisplayProcess } from "../../display/tests/display-process.ts";
import { FakeDisplayHub } from "../../display/tests/fake-display-hub.ts";

const FRAMES = Number(process.env.FRAMES ?? 200);
const BUDGET_MS = 30;
const work = mkdtempSync(join(tmpdir(), "brewos-display-bench-"));
const runs: Record<string, unknown>[] = [];
try {
  for (const size of ["480x480", "320x240"]) {
    const hub = new FakeDisplayHub(join(work, `${size}.sock`));
    const d = DisplayProcess.start(hub.path, size);
    await hub.untilConnected();
    let seq = 1;
    const delta = (changes: object) => hub.send({ type: "delta", from_seq: seq + 1, seq: ++seq, changes, rx_ms: 0 });
    hub.send({
      type: "snapshot",
      link: "up",
      state: {
        link: "up",
        state: "ready",
        mode: "brew",
        ready: true,
        brew_c: 93,
        brew_setpoint_c: 93,
        brew_target_c: 93,
        steam_c: 124.6,
        steam_target_c: 125,
        brew_heater_pct: 14,
        machine: { type: "dual_boiler" },
      },
    });
    await d.untilText("state", (t) => t === "Ready", 3000);
    runs.push(JSON.parse((await d.command(`bench ${FRAMES}`, 60000)).replace(/^bench /, "")));
    delta({ brewing: true, shot_elapsed_s: 0, weight_g: 0 });
    for (let i = 1; i <= 120; i++)
      delta({ shot_elapsed_s: i * 0.25, pressure_bar: Math.min(9, i * 0.2), weight_g: Math.max(0, (i - 30) * 0.4) });
    await d.untilText("shot_time", (t) => t === "30.0 s", 3000);
    runs.push(JSON.parse((await d.command(`bench ${FRAMES}`, 60000)).replace(/^bench /, "")));
    await d.stop();
    hub.stop();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const worst480 = Math.max(...runs.filter((r) => r.width === 480).map((r) => Number(r.full_redraw_p99_ms)));
console.log(
  JSON.stringify(
    {
      bench: "display full redraw (LVGL 9.5 software, RGB565, headless)",
      frames_per_run: FRAMES,
      runs,
      budget_480_ms: BUDGET_MS,
      worst_480_p99_ms: worst480,
      ok: worst480 <= BUDGET_MS,
    },
    null,
    2,
  ),
);
