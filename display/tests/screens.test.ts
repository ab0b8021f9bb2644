/**
 * The display's screens at 480x480 (square and round) and 320x240, each drawn from fixed hub messages (a scripted hub
 * on the display socket) and compared with its reference picture (display/reference/; a few pixels
 * may differ by antialiasing). Along the way: the pairing QR code decodes back to the link the hub
 * gave, maintenance comes from the statistics the display asks for, and a hub that goes silent is
 * shown as lost within 3 s. BREWOS_UPDATE_REFERENCE=1 writes the pictures instead of comparing.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { differingShare } from "../../pwa/e2e/image-diff.ts";
import { machineSnapshot } from "../../pwa/src/testing/snapshot.ts";
import { DisplayProcess } from "./display-process.ts";
import { FakeDisplayHub } from "./fake-display-hub.ts";

const REFERENCE = join(import.meta.dir, "..", "reference");
const UPDATE = process.env.BREWOS_UPDATE_REFERENCE === "1";
const work = mkdtempSync(join(tmpdir(), "brewos-display-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const PAIRING_LINK =
  "http://192.168.1.20/pair#v=1&d=s2ren5ycxr72xwmwgy7zrsqnpa&k=vOtdN1R7PV_KAdejxByB8-x6iGNx-wC5JrsY0XoOel4&s=BiPfpfXTazULjYEYI98d_g";

const machine = machineSnapshot({
  seq: 1,
  state: "idle",
  mode: "standby",
  eta_ready_s: null,
  brew_c: 21.5,
  steam_c: 21.4,
  group_c: 21.6,
  brew_setpoint_c: 0,
  steam_setpoint_c: 0,
  brew_heater_pct: 0,
  weight_g: 0,
  scale_connected: true,
});
let seq = 1;
const delta = (changes: object) => ({ type: "delta", from_seq: seq + 1, seq: ++seq, changes, rx_ms: 0 });
const shotRecord = {
  id: "6f1c0000-0000-4000-8000-000000000001",
  status: "complete",
  duration_ms: 28_400,
  final_weight_g: 35.6,
  settled_weight_g: 36.2,
  yield_g: null,
  max_pressure_bar: 9.1,
  stop_reason: "weight",
};

/** The display's picture against its reference (or written as the reference). */
function compare(shot: string, size: string, scene: string): void {
  const ref = join(REFERENCE, size, `${scene}.png`);
  const png = PNG.sync.read(readFileSync(shot));
  const compact = PNG.sync.write(png, { deflateLevel: 9 });
  if (UPDATE) {
    mkdirSync(join(REFERENCE, size), { recursive: true });
    writeFileSync(ref, compact);
    return;
  }
  if (!existsSync(ref)) throw new Error(`no reference ${ref}: run with BREWOS_UPDATE_REFERENCE=1 and look at it`);
  const share = differingShare(compact, readFileSync(ref));
  if (share > 0.005) writeFileSync(join(work, `${size}-${scene}-actual.png`), compact);
  expect(`${scene}: ${(share * 100).toFixed(2)}% of pixels differ`).toBe(
    `${scene}: ${((share > 0.005 ? share : 0) * 100).toFixed(2)}% of pixels differ`,
  );
}

for (const { size, round } of [
  { size: "480x480", round: false },
  { size: "320x240", round: false },
  { size: "480x480", round: true },
]) {
  const panel = round ? `${size}-round` : size;
  describe(`the display at ${size}${round ? ", round" : ""}`, () => {
    test("every screen from fixed messages, against its reference; the QR code reads back; a silent hub is lost within 3 s", async () => {
      seq = 1;
      const hub = new FakeDisplayHub(join(work, `hub-${panel}.sock`));
      hub.answers.set("statistics", {
        status: 200,
        body: {
          maintenance: [
            { kind: "backflush", shots_since: 104, due: true },
            { kind: "descale", due: false },
          ],
        },
      });
      hub.answers.set("pairing_open", {
        status: 200,
        body: { typed_code: "7KQ2-M9XD", link: PAIRING_LINK, expires_at_ms: 0, device_id: "x" },
      });
      const d = DisplayProcess.start(hub.path, size, round ? ["--round"] : []);
      const png = async (scene: string) => {
        const file = join(work, `${panel}-${scene}.png`);
        await d.png(file);
        compare(file, panel, scene);
        return file;
      };
      try {
        await hub.untilConnected();
        hub.send({ type: "snapshot", state: machine, link: "up" });
        hub.send({ type: "next_shot", next_shot: { profile_id: null, dose_g: 18, target_g: 36, stop_time_s: null } });
        await d.untilText("state", (t) => t === "Off", 3000);
        expect(await d.enabled("start")).toBe(false); // nothing to brew with
        await png("off");

        hub.send(delta({ mode: "brew", state: "heating", brew_setpoint_c: 93, steam_setpoint_c: 125, brew_c: 30, brew_heater_pct: 100 }));
        hub.send(delta({ brew_c: 64.3, steam_c: 48.2, eta_ready_s: 95 }));
        await d.untilText("brew_c", (t) => t === "64.3°C", 3000);
        expect(await d.text("heat")).toBe("Heating: 54%, about 1:35 to go");
        await png("heating");

        hub.send({ type: "shot_recorded", shot: shotRecord });
        hub.send(delta({ state: "ready", ready: true, brew_c: 93, steam_c: 124.8, eta_ready_s: 0, brew_heater_pct: 18 }));
        await d.untilText("state", (t) => t === "Ready", 3000);
        expect(await d.text("last_shot")).toBe("Last shot: 36.2 g in 28.4 s");
        await d.untilText("maintenance", (t) => t === "Backflush due", 3000);
        expect(await d.enabled("start")).toBe(true);
        await png("ready");

        hub.send(delta({ brewing: true, state: "brewing", shot_elapsed_s: 0, weight_g: 0 }));
        for (let i = 1; i <= 40; i++)
          hub.send(delta({ shot_elapsed_s: i * 0.6, pressure_bar: Math.min(9, i * 0.5), weight_g: Math.max(0, (i - 10) * 0.8) }));
        await d.untilText("shot_time", (t) => t === "24.0 s", 3000);
        expect(await d.text("shot_weight")).toBe("24.0 g");
        await png("shot");

        hub.send(delta({ brewing: false, state: "ready", pressure_bar: 0 }));
        hub.send({ type: "shot_recorded", shot: shotRecord });
        await d.untilScreen("result", 3000);
        await d.untilText("result", (t) => t.startsWith("36.2 g in 28.4 s"), 3000);
        expect(await d.text("result")).toBe("36.2 g in 28.4 s, stopped at its weight.\nPeak pressure 9.1 bar.");
        await png("result");
        await d.press("result_done");
        await d.untilScreen("home", 3000);

        hub.send(delta({ alarm: "water_empty", state: "fault" }));
        await d.untilScreen("alarm", 3000);
        expect(await d.text("alarm_title")).toBe("Water tank empty");
        await png("alarm");
        await d.press("clear_fault");
        const clear = hub.received.find((m) => (m.command as { type?: string } | undefined)?.type === "clear_fault");
        expect(clear).toBeTruthy();
        hub.send(delta({ alarm: null, state: "ready" }));
        await d.untilScreen("home", 3000);

        await d.press("pair");
        await d.untilScreen("pairing", 3000);
        expect(await d.text("pairing_code")).toBe("or type 7KQ2-M9XD");
        const qr = PNG.sync.read(readFileSync(await png("pairing")));
        expect(jsQR(Uint8ClampedArray.from(qr.data), qr.width, qr.height)?.data).toBe(PAIRING_LINK);

        // The hub goes silent (hung, not gone): the display asks once, then says the hub is lost.
        const silentFrom = Date.now();
        const lostAfterMs = await d.untilScreen("hub_lost", 3000);
        expect(Date.now() - silentFrom).toBeLessThanOrEqual(3000);
        expect(hub.received.some((m) => m.type === "resync")).toBe(true);
        await png("hub-lost");
        console.log(`display ${panel}: hub lost shown ${lostAfterMs} ms after the hub went silent`);
      } finally {
        expect(await d.stop()).toBe(0);
        hub.stop();
      }
    }, 60000);
  });
}
