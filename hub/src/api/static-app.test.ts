/** Serving the built app from a real hub: encodings, cache rules, ETags, client routes, no escape. */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { hubOnDisk } from "../testing/hub-on-disk.ts";

const dist = mkdtempSync(join(tmpdir(), "brewos-dist-"));
const INDEX = `<!doctype html><html><head><title>BrewOS</title></head><body><div id="root"></div>${"<!-- padding -->".repeat(40)}</body></html>`;
const JS = `console.log("brewos");\n`.repeat(200);
mkdirSync(join(dist, "assets"));
writeFileSync(join(dist, "index.html"), INDEX);
writeFileSync(join(dist, "assets", "index-Bq3xZ9kd.js"), JS);
writeFileSync(join(dist, "sw.js"), `self.addEventListener("fetch", () => {});\n`.repeat(20));
writeFileSync(join(dist, "icon-192.png"), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const s of stops) await s();
  rmSync(dist, { recursive: true, force: true });
});

describe("serving the app", () => {
  test("precompressed, cached by kind, revalidated by ETag, client routes fall back to index.html", async () => {
    const h = await hubOnDisk({ appDir: dist });
    stops.push(h.stop);
    const root = await fetch(`${h.base}/`, { headers: { "accept-encoding": "br, gzip" }, decompress: false });
    expect(root.headers.get("content-encoding")).toBe("br");
    expect(root.headers.get("cache-control")).toBe("no-cache");
    expect(brotliDecompressSync(Buffer.from(await root.arrayBuffer())).toString()).toBe(INDEX);

    const js = await fetch(`${h.base}/assets/index-Bq3xZ9kd.js`, { headers: { "accept-encoding": "gzip" }, decompress: false });
    expect(js.headers.get("content-encoding")).toBe("gzip");
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(js.headers.get("content-type")).toContain("text/javascript");
    const body = Buffer.from(await js.arrayBuffer());
    expect(gunzipSync(body).toString()).toBe(JS);
    expect(body.length).toBeLessThan(JS.length / 10);
    const again = await fetch(`${h.base}/assets/index-Bq3xZ9kd.js`, { headers: { "if-none-match": js.headers.get("etag") ?? "" } });
    expect(again.status).toBe(304);

    expect((await fetch(`${h.base}/sw.js`)).headers.get("cache-control")).toBe("no-cache");
    const png = await fetch(`${h.base}/icon-192.png`, { headers: { "accept-encoding": "br" }, decompress: false });
    expect(png.headers.get("content-encoding")).toBeNull(); // images are not recompressed
    const route = await fetch(`${h.base}/shots/some-id`, { headers: { "accept-encoding": "identity" } });
    expect(await route.text()).toBe(INDEX);
    expect((await fetch(`${h.base}/missing.js`)).status).toBe(404);
    const outside = await (await fetch(`${h.base}/%2e%2e/%2e%2e/etc/passwd`, { headers: { "accept-encoding": "identity" } })).text();
    expect(outside).not.toContain("root:"); // never a file outside the app folder
    expect((await fetch(`${h.base}/assets/..%2f..%2findex.html`)).status).toBe(404);
    expect((await fetch(`${h.base}/api/state`)).headers.get("content-type")).toContain("application/json"); // the API is not shadowed
  });

  test("without a built app the hub says so and still serves its API", async () => {
    const h = await hubOnDisk({ appDir: join(dist, "nope") });
    stops.push(h.stop);
    const r = await fetch(`${h.base}/`);
    expect(r.status).toBe(503);
    expect(await r.text()).toContain("not built yet");
    expect((await fetch(`${h.base}/api/health`)).status).toBe(200);
  });
});
