/**
 * The app at the hub's trusted HTTPS origin at home, in real Chromium: pebble issues the hub its
 * certificate through the relay's DNS (testing/home-https.ts); the browser trusts pebble's root in
 * its own certificate store (an NSS database in a throwaway HOME, as a CA would be trusted) and
 * maps the zone's names to 127.0.0.1 (host resolver rules, standing in for the relay's DNS).
 * `http://brewos.local` sends the browser to `https://127-0-0-1.<device-id>.<zone>`, which is a
 * secure context: the service worker registers, the app is installable, and it reloads offline.
 * A browser whose app was paired at the plain address stays there and is offered to move: one tap
 * there, one at the secure origin, and it is paired there, its old pairing removed.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keyPair, pairWithHub, toHex } from "@brewos/protocol/auth";
import type { BrowserContext } from "playwright-core";
import { HOME_ZONE, type HomeHttps, startHomeHttps } from "../../hub/src/testing/home-https.ts";
import { until } from "../../hub/src/testing/until.ts";
import { APP_DIR, launchProfile, requireBuiltApp } from "./browser.ts";

let home: HomeHttps;
let context: BrowserContext;
const browserHome = mkdtempSync(join(tmpdir(), "brewos-browser-home-"));

function run(argv: string[]): void {
  const r = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${argv.join(" ")}: ${r.stderr.toString()}`);
}

beforeAll(async () => {
  requireBuiltApp();
  home = await startHomeHttps({ validityS: 3600, appDir: APP_DIR });
  await until("a certificate", () => home.output().includes("HTTPS at home: got a certificate"), 30_000);
  await until("the name checked", () => home.output().includes("resolves here"), 10_000);
  // The browser's own certificate store, trusting the CA that issued the hub's certificate.
  const db = join(browserHome, ".pki", "nssdb");
  mkdirSync(db, { recursive: true });
  writeFileSync(join(browserHome, "root.pem"), await home.pebbleRoot());
  run(["certutil", "-d", `sql:${db}`, "-N", "--empty-password"]);
  run(["certutil", "-d", `sql:${db}`, "-A", "-t", "C,,", "-n", "ACME test root", "-i", join(browserHome, "root.pem")]);
  context = await launchProfile(
    join(browserHome, "profile"),
    [`--host-resolver-rules=MAP *.${HOME_ZONE} 127.0.0.1, MAP brewos.local 127.0.0.1`],
    browserHome,
  );
}, 60_000);

afterAll(async () => {
  await context?.close();
  await home?.stop();
  rmSync(browserHome, { recursive: true, force: true });
});

test("http://brewos.local goes to the hub's HTTPS name: a secure context where the app installs and reloads offline", async () => {
  const status = (await (await fetch(`${home.base}/api/lan-https`)).json()) as { origin: string; name: string; not_after_ms: number };
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
  const port = new URL(home.base).port;
  await page.goto(`http://brewos.local:${port}/`);
  await page.waitForURL(`${status.origin}/`);
  expect(new URL(page.url()).origin).toBe(status.origin);
  const facts = await page.evaluate(async () => ({
    secure: window.isSecureContext,
    protocol: location.protocol,
    sw: await Promise.race([
      navigator.serviceWorker.ready.then((r) => Boolean(r.active)),
      new Promise<boolean>((r) => setTimeout(() => r(false), 15_000)),
    ]),
    bluetooth: "bluetooth" in navigator,
  }));
  expect(facts).toMatchObject({ secure: true, protocol: "https:", sw: true });
  // Installable: Chromium finds nothing missing (manifest, icons, service worker, HTTPS).
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = (await cdp.send("Page.getInstallabilityErrors")) as { installabilityErrors: { errorId: string }[] };
  expect(installabilityErrors.map((e) => e.errorId)).toEqual([]);
  // Settings shows the secure address and the certificate's dates (the browser runs on the hub's
  // own loopback here, so the hub takes it for its display: no pairing needed).
  await page.goto(`${status.origin}/settings`);
  const card = page.getByRole("region", { name: "HTTPS at home" });
  await card.getByRole("link", { name: new URL(status.origin).host }).waitFor({ timeout: 15_000 });
  await card.getByText(/Browsers on your network are sent there/).waitFor();
  expect(await card.getByText(new RegExp(`Certificate ${status.name.replaceAll(".", "\\.").replace("*", "\\*")}`)).count()).toBe(1);
  // Offline: the machine's network is gone, the app still opens (from its service worker).
  // (The first load is not controlled by the worker it installed; the next one is.)
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
  await context.setOffline(true);
  await page.reload();
  await page.locator("#root *").first().waitFor({ timeout: 15_000 });
  expect(await page.evaluate(() => document.title)).toContain("BrewOS");
  console.log(
    `secure context at ${status.origin} (certificate ${status.name}, until ${new Date(status.not_after_ms).toISOString()}): ${JSON.stringify(facts)}; installability errors: none; offline reload: the app opened`,
  );
}, 90_000);

test("an app paired at the plain address is offered the secure one, and moves its pairing there", async () => {
  const status = (await (await fetch(`${home.base}/api/lan-https`)).json()) as { origin: string };
  await context.setOffline(false);
  const port = new URL(home.base).port;
  const post = (path: string) =>
    fetch(`${home.base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }).then((r) => r.json());
  // The hub knows this browser's app from the plain address (its cookie; the pairing itself was done here by REST).
  const code = (await post("/api/pairing/code")) as { typed_code: string };
  const keys = keyPair();
  const old = await pairWithHub({ base: home.base, keys, name: "Phone at the plain address", secret: code.typed_code, via: "typed" });
  const plain = `http://brewos.local:${port}`;
  await context.addCookies([{ name: "brewos_app", value: old.appId, url: plain }]);
  const page = await context.newPage();
  // …and its key in that origin's storage, as the app keeps it.
  const saved = { secret_key: toHex(keys.secretKey), app_id: old.appId, device_id: old.deviceId, hub_public_key: old.hubPublicKey };
  await page.addInitScript(
    ([origin, value]) => {
      if (location.origin === origin) localStorage.setItem(`brewos.pairing.${origin}`, value);
    },
    [plain, JSON.stringify(saved)] as const,
  );
  await page.goto(`${plain}/`);
  expect(new URL(page.url()).origin).toBe(`http://brewos.local:${port}`); // not sent away: its key lives here
  await page.getByRole("button", { name: "Move the app there" }).click();
  await page.waitForURL(`${status.origin}/pair`);
  await page.getByText("This link came from the machine's QR code.").waitFor();
  await page.getByLabel("Name this phone").fill("Phone at the secure address");
  await page.getByRole("button", { name: "Pair", exact: true }).click();
  await page.waitForURL(`${status.origin}/`);
  // Paired there; the pairing of the plain address removed by the app itself.
  let names: string[] = [];
  for (const end = Date.now() + 15_000; Date.now() < end; await Bun.sleep(200)) {
    names = ((await (await fetch(`${home.base}/api/pairing/apps`)).json()) as { apps: { name: string }[] }).apps.map((a) => a.name);
    if (names.includes("Phone at the secure address") && !names.includes("Phone at the plain address")) break;
  }
  expect(names).toContain("Phone at the secure address");
  expect(names).not.toContain("Phone at the plain address");
  await page.close();
});
