/**
 * The attack matrix in real Chromium (docs/security.md): a page on another origin
 * (http://evil.example:PORT, mapped to 127.0.0.1) tries every way a browser lets a page reach the
 * hub — simple POSTs, HTML forms (urlencoded, text/plain shaped as JSON, multipart), sendBeacon,
 * fetch with JSON and with credentials, reads of the backup, a WebSocket — and a DNS-rebinding
 * page served as http://evil.example:HUBPORT tries the same-origin routes. The browser runs on
 * the machine itself, so the hub even trusts its address as the kiosk: only the cross-site rules
 * stand between the page and the heater. Each request's fate is read from Chromium's network
 * hub's answers; its settings, desired machine state, history, profiles and sockets must not change.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { hubOnSim } from "../../hub/src/testing/hub-on-disk.ts";
import { APP_DIR, launch, requireBuiltApp } from "./browser.ts";

let hub: Awaited<ReturnType<typeof hubOnSim>>;
let browser: Browser;
let attacker: ReturnType<typeof Bun.serve>;
let hubPort: number;

const ATTACK_PAGE = (hubOrigin: string) => `<!doctype html><meta charset=utf-8><title>cute cat pictures</title>
<iframe name=sink></iframe>
<script>
const HUB = ${JSON.stringify(hubOrigin)};
const heat = JSON.stringify({ type: "set_setpoints", brew_c: 105, steam_c: 160 });
function form(action, enctype, fields) {
  const f = document.createElement("form");
  f.method = "POST"; f.action = HUB + action; f.enctype = enctype; f.target = "sink";
  for (const [k, v] of Object.entries(fields)) { const i = document.createElement("input"); i.name = k; i.value = v; f.append(i); }
  document.body.append(f); f.submit();
}
const settle = (ms) => new Promise((r) => setTimeout(r, ms));
async function attempt(label, run) {
  try { return [label, await run()]; } catch (e) { return [label, "blocked: " + e.name]; }
}
window.attack = async () => {
  const out = [];
  out.push(await attempt("simple text/plain POST /api/commands", async () => (await fetch(HUB + "/api/commands", { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body: heat })).type));
  out.push(await attempt("simple text/plain POST /api/backup", async () => (await fetch(HUB + "/api/backup", { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body: JSON.stringify({ settings: { hub: { retention: { keep_count: 1 } } } }) })).type));
  out.push(await attempt("fetch JSON POST /api/commands", async () => (await fetch(HUB + "/api/commands", { method: "POST", headers: { "content-type": "application/json" }, body: heat })).status));
  out.push(await attempt("fetch JSON PATCH /api/settings with credentials", async () => (await fetch(HUB + "/api/settings", { method: "PATCH", credentials: "include", headers: { "content-type": "application/json" }, body: JSON.stringify({ hub: { auto_off: { enabled: false } } }) })).status));
  out.push(await attempt("fetch DELETE /api/profiles/library/x", async () => (await fetch(HUB + "/api/profiles/library/x", { method: "DELETE" })).status));
  out.push(await attempt("read GET /api/backup", async () => (await (await fetch(HUB + "/api/backup")).text()).slice(0, 20)));
  out.push(await attempt("read GET /api/shots with credentials", async () => (await (await fetch(HUB + "/api/shots", { credentials: "include" })).text()).slice(0, 20)));
  out.push(await attempt("sendBeacon POST /api/commands", async () => navigator.sendBeacon(HUB + "/api/commands", new Blob([heat], { type: "text/plain" }))));
  form("/api/commands", "application/x-www-form-urlencoded", { type: "start_shot" });
  await settle(300);
  form("/api/backup", "text/plain", { ['{"settings":{"hub":{"retention":{"keep_count":1}}},"x":"']: '"}' });
  await settle(300);
  form("/api/commands", "multipart/form-data", { command: heat });
  await settle(300);
  out.push(["HTML forms (urlencoded, text/plain, multipart)", "submitted"]);
  out.push(await attempt("WebSocket /ws", () => new Promise((resolve) => {
    const ws = new WebSocket(HUB.replace("http", "ws") + "/ws");
    const got = [];
    ws.onopen = () => ws.send(JSON.stringify({ type: "command", id: 1, command: JSON.parse(heat) }));
    ws.onmessage = (e) => got.push(String(e.data).slice(0, 40));
    ws.onclose = (e) => resolve("closed " + e.code + " after " + got.length + " messages");
    setTimeout(() => resolve("still open, " + got.length + " messages"), 3000);
  })));
  return out;
};
</script>`;

function machineFingerprint(): string {
  return JSON.stringify({
    settings: hub.hub.settings.view(),
    desired: hub.hub.control.current(),
    shots: hub.hub.shots.list(500).length,
    profiles: hub.hub.profileLibrary.list().length,
    brewing: hub.hub.model.brewing,
  });
}

beforeAll(async () => {
  requireBuiltApp();
  hub = await hubOnSim("dual_boiler", { speed: 15, appDir: APP_DIR });
  hubPort = Number(new URL(hub.base).port);
  attacker = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: () => new Response(ATTACK_PAGE(`http://127.0.0.1:${hubPort}`), { headers: { "content-type": "text/html" } }),
  });
  browser = await launch(["--host-resolver-rules=MAP evil.example 127.0.0.1"]);
}, 30_000);

afterAll(async () => {
  await browser?.close();
  attacker?.stop(true);
  await hub?.stop();
});

describe("a page on another origin, in Chromium on the machine itself", () => {
  test("every route it can reach is refused and nothing on the machine changes", async () => {
    const before = machineFingerprint();
    const page = await (await browser.newContext()).newPage();
    const from = hub.answered.length;
    await page.goto(`http://evil.example:${attacker.port}/`);
    const results = (await page.evaluate(() => (window as unknown as { attack: () => Promise<[string, unknown][]> }).attack())) as [
      string,
      unknown,
    ][];
    await Bun.sleep(500);
    const answered = hub.answered.slice(from).filter((a) => a.origin?.startsWith("http://evil.example"));
    console.log(`attack page (what the page saw): ${JSON.stringify(Object.fromEntries(results))}`);
    console.log(`attack page (what the hub answered): ${JSON.stringify(answered.map((a) => `${a.method} ${a.path} → ${a.status}`))}`);
    expect(machineFingerprint()).toBe(before);
    const saw = Object.fromEntries(results) as Record<string, string>;
    // Reads and preflighted writes: the browser never hands the page an answer (no CORS is granted).
    for (const k of [
      "read GET /api/backup",
      "read GET /api/shots with credentials",
      "fetch JSON POST /api/commands",
      "fetch JSON PATCH /api/settings with credentials",
      "fetch DELETE /api/profiles/library/x",
    ])
      expect(`${k}: ${saw[k]}`).toStartWith(`${k}: blocked`);
    expect(saw["WebSocket /ws"]).toMatch(/^closed \d+ after 0 messages$/);
    // Every request that could change something and reached the hub was refused for its origin.
    const changes = answered.filter((a) => a.method !== "GET" && a.method !== "OPTIONS");
    expect(changes.map((a) => `${a.method} ${a.path}`).sort()).toEqual(
      [
        "POST /api/commands", // text/plain fetch
        "POST /api/backup", // text/plain fetch
        "POST /api/commands", // sendBeacon
        "POST /api/commands", // urlencoded form
        "POST /api/backup", // text/plain form shaped as JSON
        "POST /api/commands", // multipart form
      ].sort(),
    );
    for (const a of changes) expect(`${a.method} ${a.path} ${a.status}`).toBe(`${a.method} ${a.path} 403`);
    // Reads, preflights (no CORS grant, so the real request is never sent) and the /ws upgrade:
    // refused by the hub too, not only hidden by the browser.
    for (const a of answered) expect(`${a.method} ${a.path} ${a.status}`).toBe(`${a.method} ${a.path} 403`);
    expect(answered.map((a) => `${a.method} ${a.path}`)).toContain("GET /api/backup");
    expect(answered.map((a) => `${a.method} ${a.path}`)).toContain("GET /ws");
    expect(hub.server.fanout.clientCount).toBe(0);
  }, 60_000);

  test("DNS rebinding: a page served as evil.example on the hub's own port is refused every route (421)", async () => {
    const before = machineFingerprint();
    const page = await (await browser.newContext()).newPage();
    const origin = `http://evil.example:${hubPort}`;
    // The attacker's name now points at the hub: its page (loaded earlier from the attacker's own
    // server, here the 421 the hub answers) runs script in the origin evil.example:HUBPORT, whose
    // requests are same-origin and reach the hub.
    const doc = await page.goto(`${origin}/`);
    expect(doc?.status()).toBe(421);
    const results = await page.evaluate(async () => {
      const json = { "content-type": "application/json" };
      const status = async (path: string, init?: RequestInit) => {
        try {
          return (await fetch(path, init)).status;
        } catch (e) {
          return `blocked: ${(e as Error).name}`;
        }
      };
      const ws = await new Promise<string>((resolve) => {
        const s = new WebSocket(`${location.origin.replace("http", "ws")}/ws`);
        s.onopen = () => resolve("open");
        s.onclose = (e) => resolve(`closed ${e.code}`);
      });
      return {
        "GET /api/backup": await status("/api/backup"),
        "GET /api/settings": await status("/api/settings"),
        "POST /api/commands": await status("/api/commands", {
          method: "POST",
          headers: json,
          body: JSON.stringify({ type: "set_mode", mode: "brew" }),
        }),
        "PATCH /api/settings": await status("/api/settings", {
          method: "PATCH",
          headers: json,
          body: JSON.stringify({ hub: { retention: { keep_count: 1 } } }),
        }),
        "POST /api/backup": await status("/api/backup", { method: "POST", headers: json, body: "{}" }),
        "GET /": await status("/"),
        "/ws": ws,
      };
    });
    console.log(`rebinding page: ${JSON.stringify(results)}`);
    for (const [k, v] of Object.entries(results)) if (k !== "/ws") expect(`${k} ${v}`).toBe(`${k} 421`);
    expect(results["/ws"]).toStartWith("closed");
    expect(machineFingerprint()).toBe(before);
  }, 60_000);
});
