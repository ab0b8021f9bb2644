/**
 * Pairing in real Chromium against the real hub on the simulator, with the hub trusting only
 * `[::1]` as its own display: the display at http://[::1]:PORT/display shows the codes; phones
 * open the app at http://127.0.0.1:PORT — to the hub, other devices on the network. Typed code,
 * the QR code opened as a link and scanned from a photo in the app; a wrong, a reused and an
 * expired code refused; removing a phone on the display ends its live session at once.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import jsQR from "jsqr";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { PNG } from "pngjs";
import { closedPort, hubOnSim } from "../../hub/src/testing/hub-on-disk.ts";
import { APP_DIR, axe, launch, requireBuiltApp, serious } from "./browser.ts";

const PAIRING_TTL_MS = 15_000;
const SHOTS_DIR = process.env.BREWOS_SCREENSHOTS;
const WAIT_MS = 30_000;

let hub: Awaited<ReturnType<typeof hubOnSim>>;
let browser: Browser;
let display: Page;
let port: number;
const phones: BrowserContext[] = [];

async function phone(): Promise<Page> {
  const c = await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: "block" });
  phones.push(c);
  const p = await c.newPage();
  p.on("pageerror", (e) => console.error(`phone page error: ${e.message}`));
  p.on("dialog", (d) => void d.accept());
  return p;
}

/** A fresh code on the display (closing and opening the panel), as the typed code and the QR code's picture. */
async function freshCode(): Promise<{ typed: string; qrPng: Buffer }> {
  if (await display.getByRole("button", { name: "Close" }).isVisible()) await display.getByRole("button", { name: "Close" }).click();
  if (await display.getByRole("button", { name: "Done" }).isVisible()) await display.getByRole("button", { name: "Done" }).click();
  await display.getByRole("button", { name: "Pair", exact: true }).click();
  const typed = (await display.getByTestId("typed-code").textContent({ timeout: WAIT_MS })) ?? "";
  const qrPng = await display.getByRole("img", { name: /Pairing QR code/ }).screenshot();
  return { typed, qrPng };
}

function decodeQr(png: Buffer): string {
  const img = PNG.sync.read(png);
  const found = jsQR(new Uint8ClampedArray(img.data), img.width, img.height);
  if (!found) throw new Error("no QR code in the display's picture");
  return found.data;
}

async function expectPairedAndLive(p: Page): Promise<void> {
  await p
    .getByRole("button", { name: /Turn on|Turn off/ })
    .first()
    .waitFor({ timeout: WAIT_MS });
}

beforeAll(async () => {
  requireBuiltApp();
  port = await closedPort();
  hub = await hubOnSim("dual_boiler", {
    speed: 15,
    appDir: APP_DIR,
    hostname: "::",
    port,
    kioskAddresses: ["::1"],
    pairingTtlMs: PAIRING_TTL_MS,
    bases: () => [`http://127.0.0.1:${port}`],
  });
  browser = await launch();
  const dc = await browser.newContext({ viewport: { width: 480, height: 480 }, serviceWorkers: "block" });
  display = await dc.newPage();
  display.on("dialog", (d) => void d.accept());
  await display.goto(`http://[::1]:${port}/display`);
  await display.getByRole("button", { name: "Pair", exact: true }).waitFor({ timeout: WAIT_MS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

describe("pairing in the browser", () => {
  let typedPhone: Page;

  test("an unpaired phone sees only the pairing screen (its /ws is closed unanswered) and its REST calls get 401", async () => {
    const p = await phone();
    await p.goto(`http://127.0.0.1:${port}/`);
    await p.getByRole("heading", { name: "Pair with your machine" }).waitFor({ timeout: WAIT_MS });
    expect(await p.getByRole("button", { name: /Turn on/ }).count()).toBe(0);
    expect((await fetch(`http://127.0.0.1:${port}/api/state`)).status).toBe(401);
    expect(serious(await axe(p))).toEqual([]);
  }, 60_000);

  test("typed code: shown on the display, typed on the phone → the phone controls the machine; the display says so", async () => {
    const { typed } = await freshCode();
    expect(typed).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    if (SHOTS_DIR) await display.screenshot({ path: `${SHOTS_DIR}/display-pairing.png` });
    typedPhone = await phone();
    await typedPhone.goto(`http://127.0.0.1:${port}/`);
    await typedPhone.getByLabel("Name this phone").fill("Anna's phone");
    if (SHOTS_DIR) await typedPhone.screenshot({ path: `${SHOTS_DIR}/phone-pairing.png` });
    await typedPhone.getByLabel("Code on the machine's display").fill(typed.toLowerCase().replace("-", " "));
    await typedPhone.getByRole("button", { name: "Pair", exact: true }).click();
    await expectPairedAndLive(typedPhone);
    await display.getByText("“Anna's phone” is paired with this machine.").waitFor({ timeout: WAIT_MS });
    await typedPhone.getByRole("button", { name: "Turn on" }).click();
    await typedPhone.getByRole("button", { name: "Turn off" }).waitFor({ timeout: WAIT_MS });
    expect(hub.hub.control.current().mode).not.toBe("standby");
    // Reused: the same code again, on another phone.
    const again = await phone();
    await again.goto(`http://127.0.0.1:${port}/`);
    await again.getByLabel("Code on the machine's display").fill(typed);
    await again.getByRole("button", { name: "Pair", exact: true }).click();
    await again
      .getByRole("alert")
      .filter({ hasText: /no pairing code is open|wrong code/ })
      .waitFor({ timeout: WAIT_MS });
  }, 90_000);

  test("wrong code refused with a clear message; the right one still works", async () => {
    const { typed } = await freshCode();
    const p = await phone();
    await p.goto(`http://127.0.0.1:${port}/`);
    await p.getByLabel("Code on the machine's display").fill(typed === "ZZZZ-ZZZZ" ? "YYYY-YYYY" : "ZZZZ-ZZZZ");
    await p.getByRole("button", { name: "Pair", exact: true }).click();
    await p.getByRole("alert").filter({ hasText: "wrong code" }).waitFor({ timeout: WAIT_MS });
    await p.getByLabel("Code on the machine's display").fill("12");
    await p.getByRole("button", { name: "Pair", exact: true }).click();
    await p.getByRole("alert").filter({ hasText: "8 letters and digits" }).waitFor({ timeout: WAIT_MS });
    await p.getByLabel("Code on the machine's display").fill(typed);
    await p.getByRole("button", { name: "Pair", exact: true }).click();
    await expectPairedAndLive(p);
  }, 90_000);

  test("QR code opened as a link (the phone's camera app): pairs, and the secret leaves the address bar", async () => {
    const { qrPng } = await freshCode();
    const link = decodeQr(qrPng);
    expect(link.startsWith(`http://127.0.0.1:${port}/pair#v=1&`)).toBe(true);
    const p = await phone();
    await p.goto(link);
    await p.getByText("This link came from the machine's QR code.").waitFor({ timeout: WAIT_MS });
    expect(p.url()).toBe(`http://127.0.0.1:${port}/pair`);
    await p.getByLabel("Name this phone").fill("Kitchen tablet");
    await p.getByRole("button", { name: "Pair", exact: true }).click();
    await expectPairedAndLive(p);
  }, 90_000);

  test("QR code scanned in the app from a photo (the JavaScript decoder)", async () => {
    const { qrPng } = await freshCode();
    const p = await phone();
    await p.goto(`http://127.0.0.1:${port}/`);
    await p.getByLabel("Use a photo of the QR code").setInputFiles({ name: "qr.png", mimeType: "image/png", buffer: qrPng });
    await expectPairedAndLive(p);
  }, 90_000);

  test("an expired code is refused", async () => {
    const { typed } = await freshCode();
    await Bun.sleep(PAIRING_TTL_MS + 1000);
    const p = await phone();
    await p.goto(`http://127.0.0.1:${port}/`);
    await p.getByLabel("Code on the machine's display").fill(typed);
    await p.getByRole("button", { name: "Pair", exact: true }).click();
    await p
      .getByRole("alert")
      .filter({ hasText: /no pairing code is open|wrong code/ })
      .waitFor({ timeout: WAIT_MS });
    expect(await p.getByRole("button", { name: /Turn on|Turn off/ }).count()).toBe(0);
  }, 90_000);

  test("removing a phone on the display ends its live session at once; it must pair again", async () => {
    await freshCode();
    await display.getByRole("button", { name: "Paired phones" }).click();
    await display.getByRole("button", { name: "Remove Anna's phone" }).click();
    await typedPhone.getByText("This app was removed from the machine.").waitFor({ timeout: 10_000 });
    await typedPhone.getByRole("heading", { name: "Pair with your machine" }).waitFor();
    expect(await typedPhone.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("brewos.pairing.")).length)).toBe(0);
    await display.getByRole("button", { name: "Back" }).click();
  }, 60_000);
});

afterAll(async () => {
  for (const c of phones) await c.close().catch(() => {});
});
