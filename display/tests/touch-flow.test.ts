/**
 * The display against the real hub on the simulator, through the hub's display socket: touches
 * injected through LVGL's pointer input turn the machine on, it heats, gets ready, a shot starts,
 * runs and stops at its weight, and the result is on the screen; the pairing QR code decodes to the
 * link of the window the hub opened for it; a hub that goes away is shown as lost within 3 s, and
 * the display is back when the hub is.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { type DisplaySocket, startDisplaySocket } from "../../hub/src/display/display-socket.ts";
import { hubOnSim } from "../../hub/src/testing/hub-on-disk.ts";
import { DisplayProcess } from "./display-process.ts";

const work = mkdtempSync(join(tmpdir(), "brewos-display-flow-"));
let hub: Awaited<ReturnType<typeof hubOnSim>>;
let socket: DisplaySocket;
let display: DisplayProcess;

beforeAll(async () => {
  hub = await hubOnSim("dual_boiler", { speed: 30, scale: true });
  socket = startDisplaySocket({ path: join(work, "display.sock"), clients: hub.server.fanout });
  display = DisplayProcess.start(socket.path);
});
afterAll(async () => {
  await display?.stop();
  socket?.stop();
  await hub?.stop();
  rmSync(work, { recursive: true, force: true });
});

test("touch: turn on → heating → ready → start shot → it runs and stops → the result", async () => {
  await display.untilScreen("home", 5000);
  await display.untilText("state", (t) => t === "Off", 5000);
  expect(await display.enabled("start")).toBe(false);
  await display.press("power");
  await display.untilText("state", (t) => t === "Heating", 5000);
  expect(hub.hub.model.snapshot().mode).toBe("brew");
  expect(await display.text("heat")).toMatch(/^Heating: \d+%/);
  await display.untilText("state", (t) => t === "Ready", 60000);
  expect(await display.enabled("start")).toBe(true);

  await display.press("start");
  await display.untilScreen("shot", 5000);
  expect(hub.hub.model.snapshot().brewing).toBe(true);
  await display.untilText("shot_weight", (t) => Number.parseFloat(t) > 5, 30000);
  await display.untilScreen("result", 60000);
  const recorded = await display.untilText("result", (t) => t.includes("stopped at its weight"), 15000);
  const [, grams] = /^([\d.]+) g in ([\d.]+) s/.exec(recorded) ?? [];
  expect(Math.abs(Number(grams) - 36)).toBeLessThan(3); // the default recipe: 36 g out
  await display.png(join(work, "result.png"));
  await display.press("result_done");
  await display.untilScreen("home", 3000);
  expect(await display.text("last_shot")).toMatch(/^Last shot: [\d.]+ g in [\d.]+ s$/);
  await display.press("power");
  await display.untilText("state", (t) => t === "Off", 5000);
  expect(hub.hub.model.snapshot().mode).toBe("standby");
}, 150000);

test("the pairing QR code on the display is the hub's own pairing link; Close withdraws it", async () => {
  await display.press("pair");
  await display.untilScreen("pairing", 5000);
  const code = (await display.text("pairing_code")).replace("or type ", "");
  expect(code).toBe(hub.hub.auth.pairing.open().typed); // the window the display opened
  await display.png(join(work, "pairing.png"));
  const png = PNG.sync.read(readFileSync(join(work, "pairing.png")));
  const link = jsQR(Uint8ClampedArray.from(png.data), png.width, png.height)?.data ?? "";
  expect(link).toMatch(/\/pair#v=1&d=[a-z2-7]{26}&k=[A-Za-z0-9_-]{43}&s=[A-Za-z0-9_-]+$/);
  expect(link).toContain(`d=${hub.hub.auth.identity.deviceId}`);
  expect(new URLSearchParams(link.split("#")[1]).get("s")).toBe(hub.hub.auth.pairing.open().secret);
  await display.press("pair_close");
  await display.untilScreen("home", 3000);
  expect(hub.hub.auth.pairing.isOpen).toBe(false);
}, 30000);

test("the hub goes away: shown as lost within 3 s; back when the hub is", async () => {
  const path = socket.path;
  const t0 = Date.now();
  socket.stop();
  await display.untilScreen("hub_lost", 3000);
  expect(Date.now() - t0).toBeLessThanOrEqual(3000);
  socket = startDisplaySocket({ path, clients: hub.server.fanout });
  await display.untilScreen("home", 5000);
  await display.untilText("state", (t) => t === "Off", 3000);
}, 20000);
