/**
 * `npm run bench:sync`: sync in Debian's Chromium against the hub (SQLite on disk), 10 000 shots.
 *  - first sync: a phone that has never synced opens History until it shows all 10 000 (the
 *    annotations arrive by sync; samples stay on the hub until a shot is opened);
 *  - incremental sync: 100 shots edited on the hub, one poke, until the phone's IndexedDB has all
 *    100 new values;
 *  - history render: reload with 10 000 shots already on the phone, until the list shows them.
 * Times are by the page's own clock where the page measures. Prints JSON. Targets (issue 7):
 * first sync <= 5 s, incremental 100 edits <= 300 ms.
 */
import { hubOnDisk } from "../../hub/src/testing/hub-on-disk.ts";
import { recordShot } from "../../hub/src/testing/shots.ts";
import { APP_DIR, launch, requireBuiltApp } from "../../pwa/e2e/browser.ts";

const SHOTS = Number(process.env.SHOTS ?? 10_000);
requireBuiltApp();
const h = await hubOnDisk({ appDir: APP_DIR });
const browser = await launch();
try {
  const ids: string[] = [];
  const t0 = performance.now();
  h.hub.db.transaction(() => {
    for (let i = 0; i < SHOTS; i++) {
      const id = recordShot(h.hub.shots, {
        started_at_ms: Date.now() - (SHOTS - i) * 600_000,
        shot_token: i + 1,
        final_weight_g: 36 + (i % 7) / 10,
      });
      if (i % 2 === 0) h.hub.sync.editLocal(id, { notes: `lot ${i % 40}, sweet`, rating: 1 + (i % 5), beans: `Lot ${i % 40}` });
      ids.push(id);
    }
  })();
  const seedS = (performance.now() - t0) / 1000;

  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  await page.goto(`${h.base}/history`, { waitUntil: "commit" });
  await page.getByText(`${SHOTS} of ${SHOTS} shots`).waitFor({ timeout: 120_000 });
  const firstSyncMs = await page.evaluate(() => performance.now());
  await page.getByText("In sync with the hub").waitFor({ timeout: 30_000 });

  // 100 edits on the hub, then one poke (as a PATCH or another phone's push would send).
  const edited = ids.slice(-100);
  h.hub.db.transaction(() => {
    for (const id of edited) h.hub.sync.editLocal(id, { notes: "edited on the hub" });
  })();
  const last = edited.at(-1) as string;
  const startedAt = await page.evaluate(() => performance.now());
  h.hub.shotChanged(h.hub.shots.get(last) as NonNullable<ReturnType<typeof h.hub.shots.get>>);
  const incrementalMs = await page.evaluate(
    async ({ ids, since }) => {
      const open = () =>
        new Promise<IDBDatabase>((resolve, reject) => {
          const r = indexedDB.open("brewos-history");
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
      const db = await open();
      const count = () =>
        new Promise<number>((resolve) => {
          const tx = db.transaction("shots", "readonly");
          let n = 0;
          for (const id of ids) {
            const g = tx.objectStore("shots").get(id);
            g.onsuccess = () => {
              if ((g.result as { values?: { notes?: string } } | undefined)?.values?.notes === "edited on the hub") n++;
            };
          }
          tx.oncomplete = () => resolve(n);
        });
      for (;;) {
        if ((await count()) === ids.length) return performance.now() - since;
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    { ids: edited, since: startedAt },
  );

  await page.reload({ waitUntil: "commit" });
  await page.getByText(`${SHOTS} of ${SHOTS} shots`).waitFor({ timeout: 60_000 });
  const renderMs = await page.evaluate(() => performance.now());
  console.log(
    JSON.stringify(
      {
        chromium: browser.version(),
        shots: SHOTS,
        seed_s: Math.round(seedS * 10) / 10,
        first_sync_ms: Math.round(firstSyncMs),
        incremental_100_edits_ms: Math.round(incrementalMs),
        history_render_10k_ms: Math.round(renderMs),
        targets: { first_sync_ms: 5000, incremental_100_edits_ms: 300 },
      },
      null,
      2,
    ),
  );
  await ctx.close();
} finally {
  await browser.close();
  await h.stop();
}
