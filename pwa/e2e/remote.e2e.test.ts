/**
 * Away from home, in real Chromium: a real relay and a real hub on the simulator dialling it, both on
 * 127.0.0.1. The phone pairs at home (typed code), gets its relay ticket there, then leaves: the
 * hub's own /ws and /api stop answering it (its address is the house's), so the app goes through
 * the relay — the badge says so, live state arrives through the end-to-end channel, a shot started
 * on the Brew screen runs on the machine and reaches History, and Settings' REST reads go through
 * the channel too. The relay restarts: hub and app are back on it within 10 s. Back home, the app returns to the machine's own address by itself. The
 * relay never sees a command in the clear: its frames are checked for the words the app sent.
 * Then a phone that has never been in the house: a paired phone makes an invite link in Settings,
 * the new phone opens it at the relay's origin (the relay serves the app), pairs through the
 * relay, and controls the machine — the hub's own address never answered it once.
 * Accounts (an OpenID Connect issuer of the test's own): a paired phone signs in (through the relay's
 * sign-in page, as issuers return only to registered addresses) and its machine is listed under the account; a new phone signed in to the same account at the relay sees it listed,
 * online, and is told it still needs an invite — the account alone opens nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { closedPort, hubOnSim } from "../../hub/src/testing/hub-on-disk.ts";
import { until } from "../../hub/src/testing/until.ts";
import { Relay } from "../../relay/src/relay.ts";
import { startIssuer, TEST_AUDIENCE, type TestIssuer } from "../../relay/src/testing/oidc-issuer.ts";
import { APP_DIR, launch, requireBuiltApp } from "./browser.ts";

const WAIT_MS = 30_000;
const relayDir = mkdtempSync(join(tmpdir(), "brewos-e2e-relay-"));
let relay: Relay;
let relayServer: ReturnType<typeof Bun.serve>;
let hub: Awaited<ReturnType<typeof hubOnSim>>;
let browser: Browser;
let port = 0;
let issuer: TestIssuer;
/** Every binary frame the relay forwarded, as it saw it. */
const relayed: Uint8Array[] = [];

/** The relay on `relayPort` (0: any), keeping a copy of every binary frame it is sent. */
function startRelay(relayPort = 0): void {
  relay = new Relay({
    dataDir: relayDir,
    appDir: APP_DIR,
    oidc: { issuers: [issuer.issuer], audience: TEST_AUDIENCE, jwksUrl: issuer.jwksUrl, authorizationUrl: issuer.authorizeUrl },
  });
  const ws = relay.websocket;
  relayServer = Bun.serve({
    hostname: "127.0.0.1",
    port: relayPort,
    fetch: relay.fetch,
    websocket: {
      ...ws,
      message: (s, data) => {
        if (typeof data !== "string") relayed.push(new Uint8Array(data));
        return ws.message(s as never, data);
      },
    },
  });
}

beforeAll(async () => {
  requireBuiltApp();
  issuer = await startIssuer();
  startRelay();
  port = await closedPort();
  hub = await hubOnSim("dual_boiler_gear", {
    speed: 15,
    appDir: APP_DIR,
    hostname: "::",
    port,
    kioskAddresses: ["::1"], // the phone at 127.0.0.1 is another device to the hub: it must pair
    bases: () => [`http://127.0.0.1:${port}`],
    relayUrl: `ws://127.0.0.1:${relayServer.port}/hub`,
  });
  await until("the hub on the relay", () => hub.server.relay?.health().state === "up", 10_000);
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  relay?.stop();
  relayServer?.stop(true);
  issuer?.stop();
  rmSync(relayDir, { recursive: true, force: true });
});

async function pairAtHome(p: Page): Promise<void> {
  const { typed } = hub.hub.auth.pairing.open();
  await p.goto(`http://127.0.0.1:${port}/`);
  await p.getByLabel("Name this phone").fill("Phone on the train");
  await p.getByLabel("Code on the machine's display").fill(typed);
  await p.getByRole("button", { name: "Pair", exact: true }).click();
  await p
    .getByRole("button", { name: /Turn on|Turn off/ })
    .first()
    .waitFor({ timeout: WAIT_MS });
}

describe("the app through the relay", () => {
  test("paired at home, then away: live state, a shot and History all go through the relay, end to end", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: "block" });
    const p = await context.newPage();
    p.on("pageerror", (e) => console.error(`page error: ${e.message}`));
    await pairAtHome(p);
    await p.getByText("Connected", { exact: true }).waitFor({ timeout: WAIT_MS });
    // At home the app fetched its ticket for the relay.
    await p.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith("brewos.remote.")), undefined, { timeout: WAIT_MS });
    expect(hub.server.relay?.health().sessions).toBe(0);

    // Leaving the house: the hub's own address answers no more (its page stays, as an installed app's would).
    const home = `127.0.0.1:${port}`;
    let away = true;
    await context.routeWebSocket(`ws://${home}/ws`, (ws) => {
      if (away) ws.close({ code: 1006, reason: "no route to host" });
      else ws.connectToServer();
    });
    await context.route(`http://${home}/api/**`, (r) => (away ? r.abort("addressunreachable") : r.continue()));
    await p.reload();
    await p.getByText("Connected through the relay").waitFor({ timeout: WAIT_MS });
    expect(hub.server.relay?.health().sessions).toBe(1);

    // Live state and commands through the channel: turn on, wait for ready, pull a shot.
    if (await p.getByRole("button", { name: "Turn on" }).isVisible()) await p.getByRole("button", { name: "Turn on" }).click();
    await p.getByRole("button", { name: "Turn off" }).waitFor({ timeout: WAIT_MS });
    await p.locator("h1", { hasText: /^(Ready|Warming the group)$/ }).waitFor({ timeout: 120_000 });
    await p.getByRole("link", { name: "Brew", exact: true }).click();
    const next = p.getByRole("region", { name: "Next shot" });
    await next.getByLabel("Target weight (g)").fill("");
    await next.getByLabel("Time limit (s)").fill("8");
    await p.getByText("Stops at 8 s (or the profile's own end).").waitFor({ timeout: WAIT_MS });
    const before = hub.hub.shots.list(1)[0]?.id ?? null;
    await p.getByRole("button", { name: "Start shot" }).click();
    const shot = await until(
      "the shot recorded on the machine",
      () => {
        const s = hub.hub.shots.list(1)[0];
        return s && s.id !== before && s.status === "complete" ? s : false;
      },
      WAIT_MS,
    );
    await p.getByText("time reached").waitFor({ timeout: WAIT_MS });

    // History shows the shot pulled from afar (synced through the channel); Settings reads the
    // machine over REST, which travels inside the channel too (the hub's /api is unreachable).
    await p.getByRole("link", { name: "History", exact: true }).click();
    await p.locator(`a.shot-row[href="/history/${shot.id}"]`).waitFor({ timeout: WAIT_MS });
    await p.goto(`http://${home}/settings`);
    await p.getByText(/firmware \d+\.\d+\.\d+/).waitFor({ timeout: WAIT_MS });
    expect(await p.getByText("The hub cannot be reached.").count()).toBe(0);
    await p.getByText("Connected through the relay").waitFor();

    // The relay restarts: the hub and the app are back on it within 10 s of it coming up.
    const relayPort = relayServer.port ?? 0;
    relay.stop();
    relayServer.stop(true);
    await p.getByText("Connected through the relay").waitFor({ state: "detached", timeout: WAIT_MS });
    const upAt = Date.now();
    startRelay(relayPort);
    await p.getByText("Connected through the relay").waitFor({ timeout: 10_000 });
    await until("the hub back on the relay", () => hub.server.relay?.health().state === "up", 10_000);
    console.log(`relay restart: the app was back through it ${Date.now() - upAt} ms after it came up`);
    expect(Date.now() - upAt).toBeLessThan(10_000);

    // Home again: the app finds the machine on its own network and leaves the relay.
    away = false;
    await p.getByText("Connected", { exact: true }).waitFor({ timeout: WAIT_MS });
    await until("the relay session ended", () => hub.server.relay?.health().sessions === 0, 10_000);

    // What the relay carried: ciphertext only, never the app's words.
    const seen = Buffer.concat(relayed.map((f) => Buffer.from(f)));
    expect(seen.length).toBeGreaterThan(1000);
    for (const word of ["start_shot", "command", "/api/shots", "set_mode"]) expect(seen.includes(Buffer.from(word))).toBe(false);
    await context.close();
  }, 240_000);

  test("a phone that was never at home pairs by an invite link through the relay, and controls the machine", async () => {
    const home = `127.0.0.1:${port}`;
    // Phone A, paired at home, invites from Settings.
    const a = await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: "block" });
    const pa = await a.newPage();
    await pairAtHome(pa);
    await pa.goto(`http://${home}/settings`);
    await pa.getByRole("button", { name: "Invite a phone away from home" }).click();
    const link = await pa.getByLabel("Invite link").inputValue();
    expect(link.startsWith(`http://127.0.0.1:${relayServer.port}/pair#`)).toBe(true);

    // Phone B, somewhere else: the machine's own address never answers it.
    const b = await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: "block" });
    let homeAsked = 0;
    await b.routeWebSocket(`ws://${home}/ws`, (ws) => {
      homeAsked++;
      ws.close({ code: 1006, reason: "no route to host" });
    });
    await b.route(`http://${home}/**`, (r) => {
      homeAsked++;
      return r.abort("addressunreachable");
    });
    const pb = await b.newPage();
    pb.on("pageerror", (e) => console.error(`page error: ${e.message}`));
    const appsBefore = hub.hub.auth.apps.count;
    await pb.goto(link);
    await pb.getByText("This invite came from a phone already paired with the machine").waitFor({ timeout: WAIT_MS });
    expect(pb.url()).toBe(`http://127.0.0.1:${relayServer.port}/pair`); // the secret left the address bar
    await pb.getByLabel("Name this phone").fill("Phone at work");
    await pb.getByRole("button", { name: "Pair", exact: true }).click();
    await pb.getByText("Connected through the relay").waitFor({ timeout: WAIT_MS });
    expect(hub.hub.auth.apps.count).toBe(appsBefore + 1);
    expect(hub.hub.auth.apps.list().some((x) => x.name === "Phone at work")).toBe(true);
    // Phone A's panel sees the new phone arrive.
    await pa.getByText("“Phone at work” is paired with this machine.").waitFor({ timeout: WAIT_MS });

    // A command from phone B reaches the machine, and its answer comes back.
    const turnOff = pb.getByRole("button", { name: "Turn off" });
    const turnOn = pb.getByRole("button", { name: "Turn on" });
    await turnOff.or(turnOn).first().waitFor({ timeout: WAIT_MS });
    const wasOn = await turnOff.isVisible();
    await (wasOn ? turnOff : turnOn).click();
    await (wasOn ? turnOn : turnOff).waitFor({ timeout: WAIT_MS });
    await until("the machine switched by the phone away", () => (hub.hub.model.snapshot().mode === "standby") === wasOn, WAIT_MS);
    console.log(
      `invite away from home: paired through the relay; the machine's own address was tried ${homeAsked} times and never answered`,
    );
    await a.close();
    await b.close();
  }, 120_000);

  test("accounts: a paired phone's machine is listed under its account; a new phone of that account sees it, and still needs an invite", async () => {
    issuer.signedIn.sub = "alice";
    const a = await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: "block" });
    const pa = await a.newPage();
    await pairAtHome(pa);
    await pa.goto(`http://127.0.0.1:${port}/settings`);
    // At the machine's own address the relay's sign-in page opens in a window (issuers return only
    // to the relay's registered address), asks for which address, signs in, hands the token back.
    const cardA = pa.getByRole("region", { name: "Your account" });
    const [popup] = await Promise.all([pa.waitForEvent("popup"), cardA.getByRole("button", { name: "Sign in" }).click()]);
    await popup.getByText(`The BrewOS app at http://127.0.0.1:${port} asks to sign in to your account.`).waitFor({ timeout: WAIT_MS });
    expect(new URL(popup.url()).origin).toBe(`http://127.0.0.1:${relayServer.port}`);
    await Promise.all([popup.waitForEvent("close", { timeout: WAIT_MS }), popup.getByRole("button", { name: "Continue" }).click()]);
    await cardA.getByText("Signed in as alice@example.com.").waitFor({ timeout: WAIT_MS });
    const listA = cardA.getByRole("list", { name: "Your machines" });
    await listA.getByText("this machine").waitFor({ timeout: WAIT_MS });
    expect(await listA.getByText("online", { exact: true }).count()).toBe(1);

    // A new phone, never paired, at the relay: signed in to the same account it sees the machine…
    const apps = hub.hub.auth.apps.count;
    const b = await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: "block" });
    const pb = await b.newPage();
    await pb.goto(`http://127.0.0.1:${relayServer.port}/pair`);
    const cardB = pb.getByRole("region", { name: "Your account" });
    await cardB.getByRole("button", { name: "Sign in" }).click();
    await cardB.getByText("Signed in as alice@example.com.").waitFor({ timeout: WAIT_MS });
    const listB = cardB.getByRole("list", { name: "Your machines" });
    await listB.getByText("BrewOS hub").waitFor({ timeout: WAIT_MS });
    await listB.getByText("online", { exact: true }).waitFor();
    // …and is told how to get in: an invite from a paired phone. Nothing was paired by signing in.
    await listB.getByText(/Not paired on this phone/).waitFor();
    expect(hub.hub.auth.apps.count).toBe(apps);
    // Another account sees nothing of it.
    issuer.signedIn.sub = "mallory";
    const c = await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: "block" });
    const pc = await c.newPage();
    await pc.goto(`http://127.0.0.1:${relayServer.port}/pair`);
    await pc.getByRole("region", { name: "Your account" }).getByRole("button", { name: "Sign in" }).click();
    await pc.getByText("No machines under this account yet.").waitFor({ timeout: WAIT_MS });
    await a.close();
    await b.close();
    await c.close();
  }, 120_000);
});
