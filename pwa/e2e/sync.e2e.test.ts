/**
 * Two phones (two Chromium profiles) and the hub: both edit while the hub is away, the hub comes
 * back on the same address, both converge to the same merged history (newer edit wins per field,
 * different fields both kept, a delete stands, a hand-logged shot arrives); then the hub is
 * stopped in the middle of a phone's sync and restarted — nothing is lost.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { closedPort, hubOnDisk } from "../../hub/src/testing/hub-on-disk.ts";
import { recordShot } from "../../hub/src/testing/shots.ts";
import { formatHlc, uuidv7 } from "../../protocol/sync/src/index.ts";
import { APP_DIR, launch, requireBuiltApp } from "./browser.ts";

let dir = "";
let port = 0;
let hub: Awaited<ReturnType<typeof hubOnDisk>> | null = null;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function startHub() {
  hub = await hubOnDisk({ dataDir: dir, appDir: APP_DIR, port });
  return hub;
}
async function stopHub() {
  await hub?.stop();
  hub = null;
}

function seed(n: number): string[] {
  const ids: string[] = [];
  const h = hub as NonNullable<typeof hub>;
  for (let i = 0; i < n; i++) {
    const id = recordShot(h.hub.shots, {
      started_at_ms: Date.now() - (n - i) * 3_600_000,
      shot_token: i + 1,
      duration_ms: 28_000 + i * 1000,
    });
    ids.push(id);
  }
  return ids;
}

async function phone(): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  contexts.push(ctx);
  const p = await ctx.newPage();
  p.on("pageerror", (e) => console.error(`page error: ${e.message}`));
  return p;
}

/** Open the app and let its service worker take over, so it opens with the hub away. */
async function installed(p: Page): Promise<void> {
  await p.goto(`http://127.0.0.1:${port}/history`);
  await p.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await p.reload();
  await p.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

/** Edit a shot's notes/beans/rating on a phone through the shot screen. */
async function edit(p: Page, id: string, o: { notes?: string; beans?: string; stars?: number }) {
  await p.goto(`http://127.0.0.1:${port}/history/${id}`);
  await p.getByRole("heading", { name: "Your notes" }).waitFor();
  if (o.stars) await p.getByRole("button", { name: `${o.stars} star${o.stars > 1 ? "s" : ""}` }).click();
  if (o.beans !== undefined) await p.getByRole("textbox", { name: "Beans" }).fill(o.beans);
  if (o.notes !== undefined) await p.getByRole("textbox", { name: "Notes" }).fill(o.notes);
  await p.getByRole("button", { name: "Save", exact: true }).click();
  await p.getByText("Saved", { exact: true }).waitFor();
}

async function rows(p: Page): Promise<string[]> {
  await p.goto(`http://127.0.0.1:${port}/history`);
  await p.locator(".shot-row").first().waitFor();
  return p.locator(".shot-row").allTextContents();
}

async function until(what: string, ok: () => Promise<boolean>, ms = 20000) {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await Bun.sleep(100);
  }
}

beforeAll(async () => {
  requireBuiltApp();
  dir = mkdtempSync(join(tmpdir(), "brewos-sync-e2e-"));
  port = await closedPort();
  await startHub();
  browser = await launch();
}, 30000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await stopHub();
  rmSync(dir, { recursive: true, force: true });
});

describe("two phones and the hub", () => {
  test("both edit while the hub is away; back on the same address, both show the same merged history", async () => {
    const [shot1, shot2] = seed(3) as [string, string, string];
    const a = await phone();
    const b = await phone();
    for (const p of [a, b]) await installed(p);
    for (const p of [a, b]) await p.getByText("3 of 3 shots").waitFor({ timeout: 15000 });
    await stopHub(); // both phones are now on their own
    await edit(a, shot1, { notes: "A: bright", stars: 5 });
    await Bun.sleep(20);
    await edit(b, shot1, { notes: "B: sweet, later", beans: "Kenya AA" });
    await a.goto(`http://127.0.0.1:${port}/history/${shot2}`);
    await a.getByRole("button", { name: "Delete shot" }).click();
    await a.getByText("Deleted.").waitFor();
    await b.goto(`http://127.0.0.1:${port}/history`);
    await b.getByRole("button", { name: "Log a shot" }).click();
    await b.getByLabel("Tasting notes").fill("Café, borrowed scale");
    await b.getByRole("button", { name: "Save shot" }).click();
    await b.getByText("4 of 4 shots").waitFor(); // on the phone at once, no hub needed
    expect(await b.getByText(/changes? waiting for the hub/).isVisible()).toBe(true);

    await startHub();
    const h = hub as NonNullable<typeof hub>;
    await until("both phones synced", async () => {
      const all = h.hub.shots.list(10);
      return (
        all.length === 3 && all.some((s) => s.notes === "Café, borrowed scale") && all.find((s) => s.id === shot1)?.beans === "Kenya AA"
      );
    });
    const merged = h.hub.shots.get(shot1);
    expect(merged).toMatchObject({ notes: "B: sweet, later", beans: "Kenya AA", rating: 5 }); // newer notes; both sides' other fields
    expect(h.hub.shots.get(shot2)).toBeNull(); // deleted everywhere
    await until("phones show the same rows", async () => {
      const [ra, rb] = [await rows(a), await rows(b)];
      return ra.length === 3 && JSON.stringify(ra) === JSON.stringify(rb);
    });
    const shown = await rows(a);
    expect(shown.some((r) => r.includes("Kenya AA"))).toBe(true);
    expect(shown.some((r) => r.includes("by hand"))).toBe(true);
  }, 90000);

  test("a hand-logged shot timed with another phone's scale opens with its weight curve on this phone", async () => {
    const h = hub as NonNullable<typeof hub>;
    const id = uuidv7();
    const clock = formatHlc({ millis: Date.now(), counter: 0, node: "5555555555555555" });
    const t_s = Array.from({ length: 281 }, (_, i) => i / 10);
    const curve = { t_s, g: t_s.map((t) => Math.round(((36 * t) / 28) * 10) / 10) };
    h.hub.sync.hello("5555555555555555", 1, 0);
    const r = h.hub.sync.push("5555555555555555", [
      {
        mutation_id: 1,
        shot_id: id,
        fields: { yield_g: [36, clock] },
        create: { started_at_ms: Date.now() - 60_000, duration_ms: 28_000, weight_curve: curve },
      },
    ]);
    expect(r.ack).toMatchObject({ type: "sync_ack", rejected: [] });
    const a = await phone();
    await installed(a);
    await a.goto(`http://127.0.0.1:${port}/history/${id}`);
    await a.getByRole("img", { name: "Shot chart: the weight in the cup over time, from this phone's scale" }).waitFor({ timeout: 15000 });
    await a.locator(".chart canvas").waitFor();
    expect(await a.getByText("No curves: this shot was logged by hand.").count()).toBe(0);
  }, 60000);

  test("the hub stops in the middle of a phone's sync and comes back: nothing is lost", async () => {
    const a = await phone();
    await installed(a);
    await a.locator(".shot-row").first().waitFor();
    await stopHub();
    const N = 25;
    for (let i = 0; i < N; i++) {
      await a.getByRole("button", { name: "Log a shot" }).click();
      await a.getByLabel("Tasting notes").fill(`offline shot ${i}`);
      await a.getByRole("button", { name: "Save shot" }).click();
    }
    await startHub();
    const first = hub as NonNullable<typeof hub>;
    const count = (h: NonNullable<typeof hub>) => h.hub.shots.list(500).filter((s) => s.notes?.startsWith("offline shot")).length;
    await until("the first pushes land", async () => count(first) > 0, 20000);
    await stopHub(); // mid-sync
    await startHub();
    const h = hub as NonNullable<typeof hub>;
    await until(`all ${N} on the hub`, async () => count(h) === N, 30000);
    await a.getByText("In sync with the hub").waitFor({ timeout: 10000 });
    expect(
      new Set(
        h.hub.shots
          .list(500)
          .filter((s) => s.notes?.startsWith("offline shot"))
          .map((s) => s.notes),
      ).size,
    ).toBe(N); // no duplicates
  }, 90000);
});
