/**
 * The phone's Bluetooth scale in Chromium, with DevTools' Bluetooth emulation (a browser-session
 * domain) standing in for a Decent Scale and DeviceAccess (page session) answering the chooser:
 * the scale screen shows the hub's scale and its path, the owner connects a scale to this phone
 * through the chooser, the connection and the service discovery happen, the commands the app writes
 * are checked byte for byte (the LED-on handshake, the tare sent twice), and a disconnect is
 * followed by a reconnect without asking again. The notification stream itself is covered by the
 * connection manager's tests: an emulated peripheral cannot push notifications.
 * Chromium 156's emulation, as found: the scale is a preconnected peripheral (an advertisement sent
 * while the chooser is open ends the emulation — every later call answers "not enabled"), and a
 * simulated disconnect forgets the peripheral's GATT table, so the test rebuilds it as a scale that
 * power-cycles does.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeDecentCommand } from "@brewos/protocol/ble";
import { hex, uuid16 } from "@brewos/protocol/scales";
import type { Browser, BrowserContext, CDPSession, Page } from "playwright-core";
import { hubOnSim } from "../../hub/src/testing/hub-on-disk.ts";
import { APP_DIR, launch, requireBuiltApp } from "./browser.ts";

const ADDRESS = "09:09:09:01:02:03";
const dataDir = mkdtempSync(join(tmpdir(), "brewos-scale-e2e-"));
let hub: Awaited<ReturnType<typeof hubOnSim>> | null = null;
let browser: Browser;
let page: Page;
let bt: CDPSession;
let context: BrowserContext;
const written: string[] = [];
let connections = 0;
let prompts = 0;
let subscriptions = 0;
const gattOps: string[] = [];

beforeAll(async () => {
  requireBuiltApp();
  hub = await hubOnSim("dual_boiler_gear", { speed: 20, scale: true, appDir: APP_DIR, dataDir });
  browser = await launch(["--enable-features=WebBluetooth"]);
  context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  page = await context.newPage();
  page.on("pageerror", (e) => console.error(`page error: ${e.message}`));

  // The chooser: pick the scale as soon as it is listed.
  const session = await context.newCDPSession(page);
  await session.send("DeviceAccess.enable");
  // Each prompt is answered once: the event repeats as the list updates, and a second answer to the
  // same prompt trips a CHECK in Chromium's chooser (bluetooth_device_chooser_controller.cc).
  const answered = new Set<string>();
  session.on("DeviceAccess.deviceRequestPrompted", (e: { id: string; devices: { id: string; name: string }[] }) => {
    const d = e.devices.find((x) => x.id === ADDRESS);
    if (!d || answered.has(e.id)) return;
    answered.add(e.id);
    prompts++;
    void session.send("DeviceAccess.selectPrompt", { id: e.id, deviceId: d.id });
  });
}, 60000);

/** The emulated Decent Scale: powered central, a preconnected peripheral with FFF0 / FFF4 / 36F5. */
async function emulateScale(): Promise<void> {
  bt = await browser.newBrowserCDPSession();
  await bt.send("BluetoothEmulation.enable", { state: "powered-on", leSupported: true });
  await bt.send("BluetoothEmulation.simulatePreconnectedPeripheral", {
    address: ADDRESS,
    name: "Decent Scale",
    manufacturerData: [],
    knownServiceUuids: [uuid16(0xfff0)],
  });
  await addGattTable();
  bt.on("BluetoothEmulation.gattOperationReceived", (e: { address: string; type: string }) => {
    gattOps.push(e.type);
    if (e.type === "connection") connections++;
    bt.send("BluetoothEmulation.simulateGATTOperationResponse", { address: e.address, type: e.type as never, code: 0 }).then(
      () => gattOps.push(`answered ${e.type}`),
      (x: Error) => gattOps.push(`not answered ${e.type}: ${x.message}`),
    );
  });
  bt.on("BluetoothEmulation.descriptorOperationReceived", (e: { descriptorId: string; type: string }) => {
    void bt.send("BluetoothEmulation.simulateDescriptorOperationResponse", {
      descriptorId: e.descriptorId,
      type: e.type as never,
      code: 0,
    });
  });
  bt.on("BluetoothEmulation.characteristicOperationReceived", (e: { characteristicId: string; type: string; data?: string }) => {
    if (e.type === "write" && e.data) written.push(hex(Uint8Array.from(Buffer.from(e.data, "base64"))));
    if (e.type === "subscribe-to-notifications") subscriptions++;
    void bt.send("BluetoothEmulation.simulateCharacteristicOperationResponse", {
      characteristicId: e.characteristicId,
      type: e.type as never,
      code: 0,
    });
  });
}

/** The scale's GATT table: FFF0 with FFF4 (weight, notify) and 36F5 (commands). Chromium's emulated
 * peripheral forgets it on a disconnect, as a scale that power-cycles rebuilds it. */
async function addGattTable(): Promise<void> {
  const { serviceId } = (await bt.send("BluetoothEmulation.addService", { address: ADDRESS, serviceUuid: uuid16(0xfff0) })) as {
    serviceId: string;
  };
  const { characteristicId: weight } = (await bt.send("BluetoothEmulation.addCharacteristic", {
    serviceId,
    characteristicUuid: uuid16(0xfff4),
    properties: { read: true, notify: true },
  })) as { characteristicId: string };
  // startNotifications writes the CCCD (0x2902), so the characteristic needs one.
  await bt.send("BluetoothEmulation.addDescriptor", { characteristicId: weight, descriptorUuid: uuid16(0x2902) });
  await bt.send("BluetoothEmulation.addCharacteristic", {
    serviceId,
    characteristicUuid: uuid16(0x36f5),
    properties: { write: true, writeWithoutResponse: true },
  });
}

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test("the scale screen: the hub's scale and its path, then a scale connected to this phone through the chooser", async () => {
  await page.goto(`${hub?.base}/scale`);
  await page.getByRole("heading", { name: "Scale", exact: true }).waitFor();
  await emulateScale();
  await page.getByText("The simulator's virtual scale.").waitFor();

  await page.getByRole("button", { name: "Connect a scale to this phone" }).click();
  await page
    .getByTestId("phone-scale-state")
    .filter({ hasText: "connected" })
    .waitFor({ timeout: 15000 })
    .catch(async (e: Error) => {
      const said = `the scale screen said: ${await page.locator("main").textContent()} (GATT operations ${JSON.stringify(gattOps)}, writes ${JSON.stringify(written)})`;
      console.log(said);
      throw new Error(`${e.message}\n${said}`);
    });
  expect(await page.getByTestId("phone-scale-name").textContent()).toBe("Decent Scale");
  expect(connections).toBeGreaterThanOrEqual(1);
  expect(subscriptions).toBeGreaterThanOrEqual(1); // startNotifications reached the scale
  // The family's handshake went out: LED on, in grams.
  const ledOn = hex(encodeDecentCommand({ kind: "led", on: true }));
  await waitFor(() => written.includes(ledOn), "the LED-on handshake");

  // Tare: the Decent Scale's tare, sent twice (its v1.0 firmware drops commands).
  const before = written.length;
  await page.getByRole("button", { name: "Tare" }).last().click();
  await waitFor(() => written.slice(before).filter((w) => w.startsWith("03 0f")).length >= 2, "two tare writes");
  console.log(
    `emulated-browser scale: connections ${connections}, subscriptions ${subscriptions}, writes ${JSON.stringify(written.slice(0, 6))}`,
  );

  // The scale drops the link: the app reconnects by itself, no chooser.
  const linked = connections;
  await bt.send("BluetoothEmulation.simulateGATTDisconnection", { address: ADDRESS });
  await addGattTable();
  await waitFor(() => connections > linked, "a reconnect", 15000);
  await page
    .getByTestId("phone-scale-state")
    .filter({ hasText: /^connected$/ })
    .waitFor({ timeout: 15000 })
    .catch(async (e: Error) => {
      throw new Error(
        `not connected again: ${await page.locator("main").textContent()} (GATT operations ${JSON.stringify(gattOps)})\n${e.message}`,
      );
    });
  // Connected again as it was: subscribed again, the handshake sent again, and the chooser never shown twice.
  const subscribed = subscriptions;
  await waitFor(() => written.filter((w) => w === ledOn).length >= 2, "the handshake after the reconnect");
  expect(subscriptions).toBeGreaterThanOrEqual(subscribed);
  expect(subscriptions).toBeGreaterThanOrEqual(2);
  expect(prompts).toBe(1);
  console.log(
    `emulated-browser scale after a disconnect: connections ${connections}, subscriptions ${subscriptions}, chooser prompts ${prompts}, GATT operations ${JSON.stringify(gattOps.filter((o) => !o.startsWith("answered")))}`,
  );
}, 60000);

async function waitFor(ok: () => boolean, what: string, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms (writes: ${JSON.stringify(written)})`);
    await Bun.sleep(50);
  }
}
