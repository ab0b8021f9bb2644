/**
 * A new machine set up from the app over Bluetooth, in Chromium, with no network between phone and
 * machine in the path: DevTools' Bluetooth emulation stands in for the phone's radio (the chooser
 * answered through DeviceAccess), and every GATT operation the app makes is carried to the hub's
 * real BrewOS GATT service on a fake org.bluez (private dbus-daemon) by a scripted central — the
 * hub runs on the simulator, its Wi-Fi on a fake NetworkManager. The app pairs with the code from
 * the display, joins the Wi-Fi inside the encrypted channel, and turns the machine on over
 * Bluetooth; when the link drops it connects again by itself (no chooser, a new channel) and turns
 * the machine off. The app's writes are checked chunk by chunk; an emulated peripheral cannot notify, so
 * the app reads the notify characteristic, as it does on a phone whose notifications do not come.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BREWOS_BLE } from "@brewos/protocol/ble/brewos-service";
import { ChunkJoiner } from "@brewos/protocol/ble/chunking";
import { uuid16 } from "@brewos/protocol/scales";
import type { Browser, BrowserContext, CDPSession, Page, WebSocketRoute } from "playwright-core";
import type { GattServer } from "../../hub/src/ble/gatt-server.ts";
import { startHubGatt } from "../../hub/src/ble/hub-gatt.ts";
import { networkManagerWifi } from "../../hub/src/net/wifi.ts";
import { FakeBluez, privateBus } from "../../hub/src/testing/fake-bluez.ts";
import type { FakeCentral } from "../../hub/src/testing/fake-bluez-peripheral.ts";
import { FakeNetworkManager } from "../../hub/src/testing/fake-network-manager.ts";
import { hubOnSim } from "../../hub/src/testing/hub-on-disk.ts";
import { APP_DIR, launch, requireBuiltApp } from "./browser.ts";

const ADDRESS = "0B:0E:05:00:00:01";
const dataDir = mkdtempSync(join(tmpdir(), "brewos-ble-e2e-"));
let bus: Awaited<ReturnType<typeof privateBus>>;
let bluez: FakeBluez;
let nm: FakeNetworkManager;
let hub: Awaited<ReturnType<typeof hubOnSim>>;
let gatt: GattServer;
let browser: Browser;
let page: Page;
let bt: CDPSession;
let phone: FakeCentral;
/** Every value the app wrote, in order, and the frames they join into. */
const writes: Uint8Array[] = [];
const frames: Uint8Array[] = [];
const joiner = new ChunkJoiner();
const ops: string[] = [];
let reads = 0;

beforeAll(async () => {
  requireBuiltApp();
  bus = await privateBus();
  bluez = await FakeBluez.start(bus.address);
  nm = await FakeNetworkManager.start(
    bus.address,
    [
      { ssid: "Kitchen", strength: 78, password: "espresso-2026" },
      { ssid: "Upstairs", strength: 31, password: "another-one-99" },
    ],
    "127.0.0.1",
  );
  hub = await hubOnSim("dual_boiler_gear", {
    speed: 20,
    appDir: APP_DIR,
    dataDir,
    // The page of the first run is the trusted kiosk (127.0.0.1); the second phone, at [::1], is not.
    hostname: "::",
    kioskAddresses: ["127.0.0.1", "::ffff:127.0.0.1"],
    wifi: networkManagerWifi({ busAddress: bus.address, scanWaitMs: 50 }),
  });
  gatt = await startHubGatt({
    busAddress: bus.address,
    auth: hub.hub.auth,
    clients: hub.server.fanout,
    rest: (request) => hub.server.app.fetch(request),
    name: () => "BrewOS Gaggia",
    httpPort: () => Number(new URL(hub.base).port),
  });
  // The phone's radio as the hub's BlueZ sees it: a central that reads (it cannot be notified).
  phone = bluez.peripheral.central("5A:1E:00:00:00:01", 23);
  await phone.connect(BREWOS_BLE.notify, false);

  browser = await launch(["--enable-features=WebBluetooth"]);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  page = await context.newPage();
  page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
  await chooseTheMachine(context, page);
}, 60000);

/** The person picks the machine in Chromium's Bluetooth chooser, whenever it opens on this page. */
async function chooseTheMachine(context: BrowserContext, p: Page): Promise<void> {
  const session = await context.newCDPSession(p);
  await session.send("DeviceAccess.enable");
  const answered = new Set<string>();
  session.on("DeviceAccess.deviceRequestPrompted", (e: { id: string; devices: { id: string }[] }) => {
    const d = e.devices.find((x) => x.id === ADDRESS);
    if (!d || answered.has(e.id)) return;
    answered.add(e.id);
    void session.send("DeviceAccess.selectPrompt", { id: e.id, deviceId: d.id });
  });
}

afterAll(async () => {
  await browser?.close();
  gatt?.stop();
  await hub?.stop();
  nm?.stop();
  bluez?.stop();
  bus?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const uuidOf = new Map<string, string>();

/** The BrewOS service in the emulated peripheral (Chromium forgets it on a disconnect, so it is
 * added again, as a machine rebuilds its table when it comes back). */
async function addGattTable(): Promise<void> {
  const { serviceId } = (await bt.send("BluetoothEmulation.addService", { address: ADDRESS, serviceUuid: BREWOS_BLE.service })) as {
    serviceId: string;
  };
  const add = async (uuid: string, properties: Record<string, boolean>) => {
    const { characteristicId } = (await bt.send("BluetoothEmulation.addCharacteristic", {
      serviceId,
      characteristicUuid: uuid,
      properties,
    })) as { characteristicId: string };
    uuidOf.set(characteristicId, uuid);
    return characteristicId;
  };
  await add(BREWOS_BLE.write, { write: true, writeWithoutResponse: true });
  const notify = await add(BREWOS_BLE.notify, { read: true, notify: true });
  await bt.send("BluetoothEmulation.addDescriptor", { characteristicId: notify, descriptorUuid: uuid16(0x2902) });
  await add(BREWOS_BLE.info, { read: true });
}

/** The emulated machine in Chromium, each GATT operation carried to the hub's service. */
async function emulateMachine(): Promise<void> {
  if (bt) {
    await bt.send("BluetoothEmulation.disable").catch(() => {});
    await bt.detach().catch(() => {});
  }
  bt = await browser.newBrowserCDPSession();
  await bt.send("BluetoothEmulation.enable", { state: "powered-on", leSupported: true });
  await bt.send("BluetoothEmulation.simulatePreconnectedPeripheral", {
    address: ADDRESS,
    name: "BrewOS Gaggia",
    manufacturerData: [],
    knownServiceUuids: [BREWOS_BLE.service],
  });
  await addGattTable();
  bt.on("BluetoothEmulation.gattOperationReceived", (e: { address: string; type: string }) => {
    ops.push(e.type);
    void bt.send("BluetoothEmulation.simulateGATTOperationResponse", { address: e.address, type: e.type as never, code: 0 });
  });
  bt.on("BluetoothEmulation.descriptorOperationReceived", (e: { descriptorId: string; type: string }) => {
    void bt.send("BluetoothEmulation.simulateDescriptorOperationResponse", {
      descriptorId: e.descriptorId,
      type: e.type as never,
      code: 0,
    });
  });
  bt.on("BluetoothEmulation.characteristicOperationReceived", (e: { characteristicId: string; type: string; data?: string }) => {
    const uuid = uuidOf.get(e.characteristicId) ?? "";
    const answer = (data?: Uint8Array, code = 0) =>
      bt.send("BluetoothEmulation.simulateCharacteristicOperationResponse", {
        characteristicId: e.characteristicId,
        type: e.type as never,
        code,
        ...(data ? { data: Buffer.from(data).toString("base64") } : {}),
      });
    void (async () => {
      try {
        if (e.type === "write") {
          const value = Uint8Array.from(Buffer.from(e.data ?? "", "base64"));
          writes.push(value);
          const r = joiner.push(value);
          if (r.kind === "message") frames.push(r.message);
          await phone.write(uuid, value);
          await answer();
        } else if (e.type === "read") {
          reads++;
          await answer(await phone.read(uuid));
        } else await answer();
      } catch (x) {
        ops.push(`failed ${e.type} ${uuid}: ${(x as Error).message}`);
        await answer(undefined, 0x0e).catch(() => {});
      }
    })();
  });
}

test("Bluetooth → paired with the display's code → Wi-Fi joined → the machine turned on over Bluetooth", async () => {
  const shots = process.env.BREWOS_SCREENSHOTS ?? join(dataDir, "screenshots");
  mkdirSync(shots, { recursive: true });
  await page.goto(`${hub.base}/settings`);
  await emulateMachine();
  await page.getByRole("button", { name: "No network? Connect over Bluetooth" }).click();
  await page.getByRole("button", { name: "Set up over Bluetooth" }).click();
  await page
    .getByTestId("ble-machine")
    .waitFor({ timeout: 15000 })
    .catch(async (e: Error) => {
      throw new Error(`${e.message}\nthe page said: ${await page.locator("main").textContent()} (GATT ${JSON.stringify(ops)})`);
    });
  expect(await page.getByTestId("ble-machine").textContent()).toBe("BrewOS Gaggia: a new machine, over Bluetooth.");
  await page.screenshot({ path: join(shots, "bluetooth-1-pair.png") });

  const code = hub.hub.auth.pairing.open().typed; // on the machine's display
  await page.getByLabel("Pairing code (on the machine's display)").fill(code);
  await page.getByLabel("Name of this phone").fill("Anna's phone");
  await page.getByRole("button", { name: "Pair", exact: true }).click();
  await page
    .getByTestId("ble-paired")
    .waitFor({ timeout: 20000 })
    .catch(async (e: Error) => {
      throw new Error(
        `${e.message}\nthe page said: ${await page.locator("main").textContent()} (GATT ${JSON.stringify(ops)}, ${writes.length} writes, ${frames.length} frames: ${frames.map((f) => new TextDecoder().decode(f).slice(0, 80)).join(" | ")}, ${reads} reads)`,
      );
    });
  expect(hub.hub.auth.apps.list().map((a) => a.name)).toEqual(["Anna's phone"]);

  // The app's writes: chunks of at most MTU − 3 = 20 bytes; the first a FIRST chunk (seq 0) whose
  // length prefix is the pairing request's; the pairing frames plain JSON, the channel's not.
  for (const w of writes) expect(w.length).toBeLessThanOrEqual(20);
  const first = writes[0] as Uint8Array;
  expect(first[0]).toBe(0x80); // FIRST, not LAST, sequence 0
  const begin = JSON.parse(new TextDecoder().decode(frames[0]));
  expect(begin).toMatchObject({ type: "http", method: "POST", path: "/api/pairing/begin" });
  expect(((first[1] as number) << 16) | ((first[2] as number) << 8) | (first[3] as number)).toBe((frames[0] as Uint8Array).length);
  expect(frames.some((f) => f[0] === 1 && f.length === 1 + 32 + 26)).toBe(true); // the channel's hello

  await page.getByRole("radio", { name: /Kitchen/ }).check();
  await page.getByLabel("Wi-Fi password").fill("espresso-2026");
  await page.screenshot({ path: join(shots, "bluetooth-2-wifi.png") });
  await page.getByRole("button", { name: "Join", exact: true }).click();
  await page.getByTestId("ble-wifi-joined").waitFor({ timeout: 20000 });
  expect(await page.getByTestId("ble-wifi-joined").textContent()).toBe("Joined Kitchen. The machine is at 127.0.0.1.");
  expect(nm.joins.at(-1)).toEqual({ ssid: "Kitchen", psk: "espresso-2026" });
  const written = new TextDecoder().decode(Uint8Array.from(writes.flatMap((w) => [...w])));
  expect(written).not.toContain("espresso-2026"); // the password went sealed
  await page.screenshot({ path: join(shots, "bluetooth-3-joined.png") });

  // Over Bluetooth from here: the dashboard, and the first command.
  await page.getByRole("button", { name: "Use it over Bluetooth" }).click();
  await page.locator("output.badge").filter({ hasText: "Connected over Bluetooth" }).waitFor({ timeout: 20000 });
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Machine" }).click();
  const turnOn = page.getByRole("button", { name: "Turn on" });
  await turnOn.waitFor({ timeout: 15000 });
  const readsBefore = reads;
  await turnOn.click();
  await page.getByRole("button", { name: "Turn off" }).waitFor({ timeout: 20000 });
  expect(hub.hub.model.snapshot().mode).toBe("brew");
  expect(gatt.central).toBe(phone.path); // still the one Bluetooth session
  expect(reads).toBeGreaterThan(readsBefore);
  await page.screenshot({ path: join(shots, "bluetooth-4-on.png") });

  // The link drops (the phone walked away): the app connects again by itself, no chooser, a new
  // channel, and its next command runs.
  const connectsBefore = ops.filter((o) => o === "connection").length;
  await bt.send("BluetoothEmulation.simulateGATTDisconnection", { address: ADDRESS });
  phone.disconnect();
  await waitUntil(() => gatt.central === null, "the hub ended the session");
  await addGattTable();
  phone.reconnect();
  await waitUntil(() => ops.filter((o) => o === "connection").length > connectsBefore, "a new GATT connection", 20000);
  await page.locator("output.badge").filter({ hasText: "Connected over Bluetooth" }).waitFor({ timeout: 30000 });
  await page.getByRole("button", { name: "Turn off" }).click();
  await page.getByRole("button", { name: "Turn on" }).waitFor({ timeout: 20000 });
  expect(hub.hub.model.snapshot().mode).toBe("standby");
  console.log(
    `Bluetooth onboarding in Chromium: GATT connections ${ops.filter((o) => o === "connection").length}, ${writes.length} writes (${frames.length} frames), ${reads} reads, Wi-Fi joins ${JSON.stringify(nm.joins.map((j) => j.ssid))}, screenshots in ${shots}`,
  );
}, 90000);

test("the network goes down: one tap and the same machine answers over Bluetooth; when the network is back the app goes home", async () => {
  // The Bluetooth session of the first run ends (that phone put away).
  await page.context().close();
  phone.disconnect();
  await waitUntil(() => gatt.central === null, "the first session ended");

  // Another phone, paired at home over Wi-Fi with the code on the display. Its network path to
  // the machine — every /api request and /ws socket — runs through a switch the test can open.
  let lanUp = true;
  const lanSockets: WebSocketRoute[] = [];
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: "block" });
  const lan = hub.base.replace("127.0.0.1", "[::1]");
  await context.route(`${lan}/api/**`, (r) => (lanUp ? r.continue() : r.abort("internetdisconnected")));
  await context.routeWebSocket(/\/ws$/, (ws) => {
    if (!lanUp) return ws.close({ code: 1006 });
    ws.connectToServer();
    lanSockets.push(ws);
  });
  const p = await context.newPage();
  p.on("pageerror", (e) => console.error(`page error: ${e.message}`));
  await chooseTheMachine(context, p);
  await p.goto(`${lan}/`);
  await p
    .getByLabel("Name this phone")
    .waitFor({ timeout: 15000 })
    .catch(async (e: Error) => {
      throw new Error(`${e.message}\nthe page said: ${await p.locator("body").textContent()}`);
    });
  await p.getByLabel("Name this phone").fill("Ben's phone");
  await p.getByLabel("Code on the machine's display").fill(hub.hub.auth.pairing.open().typed);
  await p.getByRole("button", { name: "Pair", exact: true }).click();
  const badge = p.locator("output.badge");
  await badge.filter({ hasText: /^Connected$/ }).waitFor({ timeout: 20000 });
  await p.getByRole("button", { name: "Turn on" }).waitFor({ timeout: 15000 });

  // The router goes off: nothing reaches the machine over the network any more.
  lanUp = false;
  for (const ws of lanSockets.splice(0)) await ws.close({ code: 1006 }).catch(() => {});
  await badge.filter({ hasText: /Reconnecting/ }).waitFor({ timeout: 10000 });
  const offer = p.getByRole("button", { name: "Connect over Bluetooth" });
  await offer.waitFor({ timeout: 15000 });
  await p.screenshot({ path: join(process.env.BREWOS_SCREENSHOTS ?? dataDir, "bluetooth-5-lan-down.png") });
  await emulateMachine(); // Chromium ends its Bluetooth emulation with the page that used it
  phone.reconnect();
  await offer.click();
  await badge.filter({ hasText: "Connected over Bluetooth" }).waitFor({ timeout: 30000 });
  expect(gatt.central).toBe(phone.path);
  await p.getByRole("button", { name: "Turn on" }).click();
  await p.getByRole("button", { name: "Turn off" }).waitFor({ timeout: 20000 });
  expect(hub.hub.model.snapshot().mode).toBe("brew");

  // The network is back: within the app's 15 s look-out it is at home again; its next command goes
  // over the network (a new /ws socket; not one byte more written over Bluetooth).
  lanUp = true;
  await badge.filter({ hasText: /^Connected$/ }).waitFor({ timeout: 25000 });
  expect(lanSockets.length).toBeGreaterThan(0);
  const writesBefore = writes.length;
  await p.getByRole("button", { name: "Turn off" }).click();
  await p.getByRole("button", { name: "Turn on" }).waitFor({ timeout: 20000 });
  expect(hub.hub.model.snapshot().mode).toBe("standby");
  expect(writes.length).toBe(writesBefore);
  await context.close();
  phone.disconnect();
}, 120000);

async function waitUntil(ok: () => boolean, what: string, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms (GATT ${JSON.stringify(ops.slice(-20))})`);
    await Bun.sleep(50);
  }
}
