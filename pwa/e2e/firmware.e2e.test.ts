/**
 * The update screen in Chromium, against a hub on the simulator with its A/B flash on disk and a
 * signed release: Settings shows both versions and the notes; the button sends the image with a
 * progress bar; the controller boots it on trial and confirms it, and the card says "Updated". An
 * image that fails its self-test is rolled back by the boot ROM, and the card says that in words.
 * Screenshots go to BREWOS_SCREENSHOTS (or a temporary folder, printed).
 */
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { TEST_RELEASE_KEY, testRelease } from "../../hub/src/testing/controller-release.ts";
import { hubOnSim } from "../../hub/src/testing/hub-on-disk.ts";
import { until } from "../../hub/src/testing/until.ts";
import { APP_DIR, axe, launch, requireBuiltApp, serious } from "./browser.ts";

const SPEED = 10;
const SHOTS_DIR = process.env.BREWOS_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), "brewos-firmware-shots-"));
const cleanup: (() => Promise<void> | void)[] = [];
let browser: Browser;

beforeAll(async () => {
  requireBuiltApp();
  mkdirSync(SHOTS_DIR, { recursive: true });
  browser = await launch();
  console.log(`update screen screenshots: ${SHOTS_DIR}`);
}, 30000);

afterAll(() => browser?.close());

afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function hubAndPage(version: string, o: { behaviour?: string; notes?: string } = {}) {
  const releaseDir = testRelease(version, o);
  const data = mkdtempSync(join(tmpdir(), "brewos-fw-flash-"));
  cleanup.push(() => rmSync(releaseDir, { recursive: true, force: true }));
  cleanup.push(() => rmSync(data, { recursive: true, force: true }));
  const h = await hubOnSim("dual_boiler", {
    speed: SPEED,
    appDir: APP_DIR,
    simArgs: () => ["--flash", join(data, "flash.bin")],
    controllerRelease: { dir: releaseDir, keys: [TEST_RELEASE_KEY.publicKey], board: "sim" },
  });
  cleanup.push(h.stop);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  cleanup.push(() => context.close());
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
  await page.goto(`${h.base}/settings`);
  const card = page.getByRole("region", { name: "Controller firmware" });
  await card.scrollIntoViewIfNeeded();
  return { h, page, card };
}

const snap = (page: Page, name: string) =>
  page.getByRole("region", { name: "Controller firmware" }).screenshot({ path: join(SHOTS_DIR, `${name}.png`) });

test("versions and notes, the update with its progress, then 'Updated'; the heaters off meanwhile", async () => {
  const { h, page, card } = await hubAndPage("0.2.0", { notes: "Steadier steam boiler; quieter pump at the start of a shot." });
  const button = card.getByRole("button", { name: "Update the controller to 0.2.0" });
  await button.waitFor({ timeout: 15000 });
  expect(await card.getByText("Steadier steam boiler; quieter pump at the start of a shot.").isVisible()).toBe(true);
  expect(await card.textContent()).toContain("Running: 0.1.0");
  expect(serious(await axe(page))).toEqual([]);
  await snap(page, "firmware-available");
  await h.hub.control.run({ type: "set_mode", mode: "brew" });
  await until("heating", () => (h.hub.model.snapshot().brew_heater_pct ?? 0) > 0, 10000);
  let heated = 0;
  let sawProgress = 0;
  h.hub.firmware.onChange((v) => {
    if (v.update.phase === "sending") sawProgress = Math.max(sawProgress, v.update.sent_bytes);
    if (v.update.phase !== "idle" && v.update.phase !== "sending" && (h.hub.model.snapshot().brew_heater_pct ?? 0) > 0) heated++;
  });
  await button.click();
  const bar = card.getByRole("progressbar");
  await bar.waitFor({ timeout: 5000 });
  await snap(page, "firmware-updating");
  await card.getByText("Updated to 0.2.0.").waitFor({ timeout: 60000 });
  expect(await card.textContent()).toContain("Running: 0.2.0");
  expect(await card.getByText(/— up to date\./).isVisible()).toBe(true);
  expect(await card.getByRole("button", { name: /Update the controller/ }).count()).toBe(0);
  expect(sawProgress).toBeGreaterThan(0);
  expect(heated).toBe(0);
  await snap(page, "firmware-updated");
}, 90000);

test("an image that fails its self-test: the card says it was rolled back and the old firmware runs", async () => {
  const { page, card } = await hubAndPage("0.3.0", { behaviour: "selftest-fails", notes: "A release that breaks on this board." });
  await card.getByRole("button", { name: "Update the controller to 0.3.0" }).click({ timeout: 15000 });
  const alert = card.getByRole("alert");
  await alert.waitFor({ timeout: 60000 });
  expect(await alert.textContent()).toContain("The update to 0.3.0 was rolled back.");
  expect(await alert.textContent()).toContain("self-test");
  expect(await card.textContent()).toContain("Running: 0.1.0");
  expect(serious(await axe(page))).toEqual([]);
  await snap(page, "firmware-rolled-back");
}, 90000);
