/**
 * The app in real Chromium against the real hub on the simulator (15x): installable (manifest,
 * service worker), turn on → ready → a shot pulled from the Brew screen with its live chart → found
 * in history → a note added; the on-machine display compared with its reference image; axe-core on
 * every screen; the hub stopped and the page reloaded: the app still opens and shows history.
 * BREWOS_SCREENSHOTS=DIR saves the screens (phone and desktop) for people to look at.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { hubOnSim } from "../../hub/src/testing/hub-on-disk.ts";
import { APP_DIR, type AxeFinding, axe, launch, requireBuiltApp, serious } from "./browser.ts";
import { differingShare } from "./image-diff.ts";

const SPEED = 15;
/** Longest wait for the simulated machine to reach a state (ready, a shot's end): a bound, not a
 * pause — on a busy CI machine the simulator and Chromium share two cores. */
const MACHINE_WAIT_MS = 60000;
const SHOTS_DIR = process.env.BREWOS_SCREENSHOTS;
const REFERENCE = join(import.meta.dir, "reference", "display-480.png");
/** Share of pixels allowed to differ from the reference (live digits and the last-shot line). */
const DISPLAY_TOLERANCE = 0.04;

let hub: Awaited<ReturnType<typeof hubOnSim>>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const axeResults: Record<string, AxeFinding[]> = {};

async function snap(p: Page, name: string): Promise<void> {
  if (!SHOTS_DIR) return;
  mkdirSync(SHOTS_DIR, { recursive: true });
  await p.screenshot({ path: join(SHOTS_DIR, `${name}.png`) });
}

async function checkAxe(p: Page, screen: string): Promise<void> {
  const found = await axe(p);
  axeResults[screen] = found;
  expect(serious(found)).toEqual([]);
}

beforeAll(async () => {
  requireBuiltApp();
  hub = await hubOnSim("dual_boiler_gear", { speed: SPEED, scale: true, appDir: APP_DIR }); // npm start's demo machine
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  page = await context.newPage();
  page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
}, 30000);

afterAll(async () => {
  console.log(
    `axe (WCAG 2.1 A/AA) findings per screen: ${JSON.stringify(Object.fromEntries(Object.entries(axeResults).map(([k, v]) => [k, v.map((f) => `${f.id}:${f.impact}`)])))}`,
  );
  await browser?.close();
  await hub?.stop();
});

describe("the app in Chromium on the simulator", () => {
  test("installable: a valid manifest with icons, and a service worker that controls the page", async () => {
    const manifest = (await (await fetch(`${hub.base}/manifest.webmanifest`)).json()) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: "BrewOS", short_name: "BrewOS", display: "standalone", start_url: "/" });
    const icons = manifest.icons as { src: string; sizes: string; purpose?: string }[];
    expect(icons.map((i) => i.sizes)).toEqual(["192x192", "512x512", "512x512"]);
    expect(icons.some((i) => i.purpose === "maskable")).toBe(true);
    for (const i of icons) expect((await fetch(`${hub.base}${i.src}`)).headers.get("content-type")).toBe("image/png");
    await page.goto(`${hub.base}/`);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    expect(await page.evaluate(() => document.querySelector('link[rel="manifest"]')?.getAttribute("href"))).toBe("/manifest.webmanifest");
  }, 90000);

  test("turn on, wait for ready, pull a shot on the Brew screen with its live chart, find it in history, add a note", async () => {
    await page.getByRole("button", { name: "Turn on" }).click();
    // The boiler at temperature: "Ready", or — on this dual boiler, whose E61 group takes 20
    // minutes of machine time — "Warming the group"; a shot can start either way.
    await page.locator("h1", { hasText: /^(Ready|Warming the group)$/ }).waitFor({ timeout: 60000 });
    await snap(page, "dashboard-phone");
    await checkAxe(page, "dashboard");

    await page.getByRole("link", { name: "Brew", exact: true }).click();
    await page.getByLabel("Target weight (g)").fill("36");
    await page.getByLabel("Dose (g)").fill("18");
    await expect(page.getByText("Ratio 1:2.0").isVisible()).resolves.toBe(true);
    await checkAxe(page, "brew");
    await page.getByRole("button", { name: "Start shot" }).click();
    await page.getByRole("heading", { name: "Pulling" }).waitFor({ timeout: 10000 });
    // Count the timer's values in the page itself (a MutationObserver), so how fast this test can
    // poll over CDP on a busy machine never decides the result.
    await page.evaluate(() => {
      const el = document.querySelector('[data-testid="shot-timer"]');
      const seen = new Set<string>([el?.textContent ?? ""]);
      (window as unknown as { timerValues: Set<string> }).timerValues = seen;
      if (el)
        new MutationObserver(() => seen.add(el.textContent ?? "")).observe(el, { subtree: true, characterData: true, childList: true });
    });
    const timerValues = () => page.evaluate(() => (window as unknown as { timerValues: Set<string> }).timerValues.size);
    let midShot = false;
    while (await page.getByRole("heading", { name: "Pulling" }).isVisible()) {
      if (!midShot && (await timerValues()) > 8) {
        await snap(page, "brew-mid-shot-phone");
        midShot = true;
      }
      await Bun.sleep(40);
    }
    expect(await timerValues()).toBeGreaterThan(10); // the timer ran live, not only at the end
    const link = page.getByRole("link", { name: "Open in history" });
    await link.waitFor({ timeout: 10000 });
    // The live chart got the shot at telemetry rate: uPlot drew its series into the canvas.
    const points = await page.evaluate(() => document.querySelectorAll(".chart canvas").length);
    expect(points).toBe(1);

    await page.getByRole("link", { name: "History", exact: true }).click();
    await page.locator(".shot-row").first().waitFor({ timeout: 10000 });
    await snap(page, "history-phone");
    await checkAxe(page, "history");
    await page.locator(".shot-row").first().click();
    await page.getByRole("heading", { name: "Your notes" }).waitFor({ timeout: 10000 });
    await page.locator("strong", { hasText: "target weight reached" }).waitFor({ timeout: 5000 });
    await page.locator(".chart canvas").waitFor({ timeout: 10000 });
    await page.getByRole("button", { name: "4 stars" }).click();
    await page.getByRole("textbox", { name: "Beans" }).fill("Kenya AA");
    await page.getByRole("textbox", { name: "Notes" }).fill("Sweet and syrupy, a touch bright");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved", { exact: true }).waitFor({ timeout: 5000 });
    await snap(page, "shot-detail-phone");
    await checkAxe(page, "shot detail");
    // Saved on the phone at once; sync carries it to the hub.
    let shots = { shots: [] as Record<string, unknown>[] };
    const syncDeadline = Date.now() + 20000;
    while (shots.shots[0]?.rating !== 4 && Date.now() < syncDeadline) {
      shots = (await (await fetch(`${hub.base}/api/shots?limit=1`)).json()) as typeof shots;
      if (shots.shots[0]?.rating !== 4) await Bun.sleep(50);
    }
    expect(shots.shots[0]).toMatchObject({
      rating: 4,
      beans: "Kenya AA",
      notes: "Sweet and syrupy, a touch bright",
      stop_reason: "weight",
    });
    // The settled cup (drips included) is the yield; the virtual scale measured it after the stop.
    expect(Math.abs((shots.shots[0]?.settled_weight_g as number) - 36)).toBeLessThanOrEqual(1.5);
  }, 120000);

  test("settings refuse out-of-range values as you type and save good ones to the machine; statistics and schedules", async () => {
    await page.getByRole("link", { name: "Settings", exact: true }).click();
    await page.getByRole("button", { name: "Save machine settings" }).waitFor();
    await checkAxe(page, "settings");
    const eco = page.getByLabel("Eco temperature (°C)");
    await eco.fill("95");
    await page.getByText("must be from 50 to 90 °C").waitFor();
    expect(await page.getByRole("button", { name: "Save machine settings" }).isDisabled()).toBe(true);
    await eco.fill("80");
    await page.getByRole("button", { name: "Save machine settings" }).click();
    await page.getByText("Saved", { exact: true }).first().waitFor({ timeout: 10000 });
    const settings = (await (await fetch(`${hub.base}/api/settings`)).json()) as { controller: Record<string, number> };
    expect(settings.controller.eco_setpoint_cdeg).toBe(8000);
    await snap(page, "settings-phone");

    await page.getByRole("link", { name: "Statistics and maintenance" }).click();
    await page.getByRole("heading", { name: "Statistics" }).waitFor();
    // The figures load after the heading: wait for them rather than reading the first render.
    await page.locator("dt:has-text('Shots in all') + dd", { hasText: /^1$/ }).waitFor({ timeout: 10000 });
    await checkAxe(page, "statistics");
    await page.getByRole("button", { name: "Done now" }).first().click();
    await page.getByText("0 shots since the last one", { exact: false }).first().waitFor();
    await snap(page, "statistics-phone");

    await page.goto(`${hub.base}/schedules`);
    await page.getByRole("button", { name: "Add schedule" }).click();
    await page.getByLabel("Name").fill("Weekday mornings");
    for (const day of ["Mon", "Tue", "Wed", "Thu", "Fri"]) await page.getByLabel(day, { exact: true }).uncheck();
    await page.getByRole("button", { name: "Save schedules" }).click();
    await page.getByText("Not saved: fix the marked fields").waitFor(); // the hub refuses a schedule with no days…
    await page.getByText(/^Days: /).waitFor(); // …and says which field
    for (const day of ["Mon", "Tue", "Wed", "Thu", "Fri"]) await page.getByLabel(day, { exact: true }).check();
    const minutes = page.getByLabel("After (minutes, 5–480)");
    await minutes.fill("2");
    expect(await minutes.evaluate((el) => (el as HTMLInputElement).validity.rangeUnderflow)).toBe(true); // the browser holds it back
    await minutes.fill("45");
    await page.getByRole("button", { name: "Save schedules" }).click();
    await page.getByText("Saved", { exact: true }).waitFor();
    await checkAxe(page, "schedules");
    const hubSettings = (await (await fetch(`${hub.base}/api/settings`)).json()) as {
      hub: { schedules: { name: string; time: string; action: string }[]; auto_off: { minutes: number } };
    };
    expect(hubSettings.hub.schedules[0]).toMatchObject({ name: "Weekday mornings", time: "06:30", action: "on" });
    expect(hubSettings.hub.auto_off.minutes).toBe(45);
  }, 150000);

  test("/display at 480x480 matches its reference image; arrow keys move between its buttons", async () => {
    const d = await context.newPage();
    await d.setViewportSize({ width: 480, height: 480 });
    await d.goto(`${hub.base}/display`);
    await d.getByText("Ready", { exact: true }).first().waitFor({ timeout: MACHINE_WAIT_MS });
    await Bun.sleep(300);
    const png = await d.screenshot();
    if (SHOTS_DIR) writeFileSync(join(SHOTS_DIR, "display-480.png"), png);
    if (process.env.UPDATE_REFERENCE === "1") {
      mkdirSync(join(import.meta.dir, "reference"), { recursive: true });
      writeFileSync(REFERENCE, png);
    }
    expect(existsSync(REFERENCE)).toBe(true);
    const share = differingShare(png, readFileSync(REFERENCE));
    console.log(`display vs reference: ${(share * 100).toFixed(2)} % of pixels differ (tolerance ${DISPLAY_TOLERANCE * 100} %)`);
    expect(share).toBeLessThanOrEqual(DISPLAY_TOLERANCE);
    await checkAxe(d, "display");
    await d.keyboard.press("ArrowRight");
    expect(await d.evaluate(() => document.activeElement?.textContent)).toBe("Brew");
    await d.keyboard.press("ArrowRight");
    expect(await d.evaluate(() => document.activeElement?.textContent)).toBe("Pair");
    await d.keyboard.press("ArrowRight");
    expect(await d.evaluate(() => document.activeElement?.textContent)).toBe("Off");
    await d.setViewportSize({ width: 390, height: 844 }); // a phone held as the display
    await snap(d, "display-phone");
    await d.close();
  }, 150000);

  test("desktop width and dark theme render the same screens", async () => {
    const wide = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: "dark" });
    const p = await wide.newPage();
    await p.goto(`${hub.base}/`);
    await p.locator("h1", { hasText: /^(Ready|Warming the group)$/ }).waitFor({ timeout: MACHINE_WAIT_MS });
    await snap(p, "dashboard-desktop-dark");
    await checkAxe(p, "dashboard (dark, desktop)");
    await p.goto(`${hub.base}/history`);
    await p.locator(".shot-row").first().waitFor({ timeout: 10000 });
    await p.locator(".shot-row").first().click();
    await p.locator(".chart canvas").waitFor({ timeout: 10000 });
    await snap(p, "shot-detail-desktop-dark");
    await checkAxe(p, "shot detail (dark, desktop)");
    await p.goto(`${hub.base}/history`);
    await p.locator(".shot-row").first().waitFor();
    await snap(p, "history-desktop-dark");
    await p.goto(`${hub.base}/brew`);
    await p.getByRole("button", { name: "Start shot" }).click();
    await p.getByRole("heading", { name: "Pulling" }).waitFor();
    await p
      .getByText(/Weight/)
      .first()
      .waitFor();
    await Bun.sleep(1200); // well into the shot at this speed
    await snap(p, "brew-mid-shot-desktop-dark");
    await checkAxe(p, "brew mid-shot (dark, desktop)");
    await p.getByRole("link", { name: "Open in history" }).waitFor({ timeout: MACHINE_WAIT_MS });
    await p.setViewportSize({ width: 1280, height: 800 });
    await p.goto(`${hub.base}/display`);
    await p.getByText("Ready", { exact: true }).first().waitFor({ timeout: MACHINE_WAIT_MS });
    await snap(p, "display-desktop");
    await wide.close();
  }, 150000);

  test("profiles: create one in the editor (refused while out of range), import a Gaggiuino file, use it for the next shot", async () => {
    await page.goto(`${hub.base}/profiles`);
    await page.getByRole("button", { name: /Classic 9 bar/ }).waitFor();
    expect(await page.locator(".profile").count()).toBe(8);
    await checkAxe(page, "profiles");
    await page.getByRole("button", { name: "New profile" }).click();
    await page.getByRole("heading", { name: "Edit profile" }).waitFor();
    await page.getByLabel("Name", { exact: true }).first().fill("Morning ramp");
    await page.locator("#phase-1-to").fill("20");
    await page.getByText(/Fix this before saving: .*to/).waitFor();
    expect(await page.getByRole("button", { name: "Save profile" }).isDisabled()).toBe(true);
    await page.locator("#phase-1-to").fill("8.5");
    await page.getByText("This machine can run this profile.").waitFor();
    await checkAxe(page, "profile editor");
    await snap(page, "profile-editor-phone");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByRole("heading", { name: "Yours" }).waitFor();
    const mine = (await (await fetch(`${hub.base}/api/profiles`)).json()) as { custom: { name: string; phases: { to: number }[] }[] };
    expect(mine.custom[0]).toMatchObject({ name: "Morning ramp" });
    expect(mine.custom[0]?.phases[1]?.to).toBe(8.5);

    const gaggiuino = {
      name: "Bloom from Gaggiuino",
      phases: [
        {
          name: "fill",
          type: "FLOW",
          target: { start: 4, end: 4, curve: "INSTANT", time: 0 },
          stopConditions: { pressureAbove: 3, time: 15000 },
        },
        {
          name: "brew",
          type: "PRESSURE",
          target: { start: 2, end: 9, curve: "EASE_OUT", time: 3000 },
          stopConditions: { waterPumpedInPhase: 80 },
        },
      ],
    };
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: "bloom.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(gaggiuino)) });
    await page.getByText(/Imported from Gaggiuino\. Not carried over: .*waterPumpedInPhase/).waitFor();
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByRole("button", { name: /Bloom from Gaggiuino/ }).waitFor();
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: "junk.json", mimeType: "application/json", buffer: Buffer.from("{junk") });
    await page.getByText("Could not import junk.json: the file is neither JSON nor a Decent Tcl profile").waitFor();

    await page.getByRole("button", { name: /Morning ramp/ }).click();
    await snap(page, "profiles-phone");
    await page.getByRole("button", { name: "Use for next shot" }).click();
    await page.getByRole("heading", { name: "Brew" }).waitFor();
    await page.locator('option[value="morning-ramp"]').waitFor({ state: "attached" });
    expect(await page.getByLabel("Profile").inputValue()).toBe("morning-ramp");
  }, 150000);

  test("the recipe: an edit made while the last one is still on its way reaches the hub and stays on screen", async () => {
    await page.goto(`${hub.base}/brew`);
    const next = page.getByRole("region", { name: "Next shot" });
    await next.getByLabel("Target weight (g)").waitFor();
    // Hold the first change on its way to the hub (a slow Wi-Fi moment) while the second is made.
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let heldOne = false;
    const reached = new Promise<void>((r) =>
      page.route("**/api/next-shot", async (route) => {
        if (route.request().method() === "PUT" && !heldOne) {
          heldOne = true;
          r();
          await held;
        }
        await route.continue();
      }),
    );
    await next.getByLabel("Target weight (g)").fill("41");
    await reached;
    await next.getByLabel("Time limit (s)").fill("33");
    release(); // the first answer arrives before the app's wait to send the second is over
    const deadline = Date.now() + 10000;
    let onHub = await (await fetch(`${hub.base}/api/next-shot`)).json();
    while ((onHub.target_g !== 41 || onHub.stop_time_s !== 33) && Date.now() < deadline) {
      await Bun.sleep(100);
      onHub = await (await fetch(`${hub.base}/api/next-shot`)).json();
    }
    expect(onHub).toMatchObject({ target_g: 41, stop_time_s: 33 });
    await page.getByText("Stops at 41 g on the scale, or at 33 s.").waitFor();
    expect(await next.getByLabel("Time limit (s)").inputValue()).toBe("33");
    await page.unroute("**/api/next-shot");
    await next.getByLabel("Time limit (s)").fill("");
    await next.getByLabel("Target weight (g)").fill("36");
    await page.getByText("Stops at 36 g on the scale.", { exact: true }).waitFor();
  }, 60000);

  test("360 px wide phones: no screen scrolls sideways; the display fits a 320 x 240 rectangle", async () => {
    const narrow = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const p = await narrow.newPage();
    for (const path of ["/", "/brew", "/history", "/profiles", "/settings", "/statistics", "/schedules"]) {
      await p.goto(`${hub.base}${path}`);
      await p.locator("main h1").first().waitFor();
      const wide = await p.evaluate(() => document.documentElement.scrollWidth);
      expect({ path, wide }).toEqual({ path, wide: 360 });
    }
    await p.setViewportSize({ width: 320, height: 240 });
    await p.goto(`${hub.base}/display`);
    await p.getByText("Ready", { exact: true }).first().waitFor({ timeout: MACHINE_WAIT_MS });
    const fits = await p.evaluate(() => {
      const r = document.querySelector(".display-actions")?.getBoundingClientRect();
      return { bottom: r?.bottom ?? 999, scroll: document.documentElement.scrollHeight };
    });
    expect(fits.bottom).toBeLessThanOrEqual(240);
    expect(fits.scroll).toBeLessThanOrEqual(240);
    await snap(p, "display-320x240");
    await narrow.close();
  }, 150000);

  test("with the hub stopped, a reload still opens the app from the service worker and shows history", async () => {
    await page.goto(`${hub.base}/history`);
    await page.locator(".shot-row").first().waitFor({ timeout: 10000 });
    const base = hub.base;
    await hub.stop();
    const t0 = Date.now();
    await page.reload();
    await page.locator(".shot-row").first().waitFor({ timeout: 5000 });
    console.log(`offline reload to history rows: ${Date.now() - t0} ms`);
    expect(await page.locator(".shot-row", { hasText: "Kenya AA" }).count()).toBe(1); // with the note added online
    await page
      .getByText(/Reconnecting|Connecting/)
      .first()
      .waitFor({ timeout: 5000 });
    expect(page.url()).toBe(`${base}/history`);
    await snap(page, "history-offline-phone");
    hub = undefined as never;
  }, 90000);
});
