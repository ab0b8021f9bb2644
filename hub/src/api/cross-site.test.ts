/**
 * A page on another site, a DNS-rebinding page and an HTML form try every state-changing route of a
 * real hub on disk: each is refused with its reason and nothing changes. Same-origin JSON and
 * non-browser clients (no Origin) still work.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Hub } from "../hub.ts";
import { hubOnDisk } from "../testing/hub-on-disk.ts";
import { recordShot } from "../testing/shots.ts";
import { hostAllowed, hostOnly } from "./cross-site.ts";

let h: { hub: Hub; base: string; stop: () => Promise<void> };
beforeAll(async () => {
  h = await hubOnDisk();
});
afterAll(async () => {
  await h.stop();
});

const JSON_TYPE = { "content-type": "application/json" };
const routes: [string, string, unknown][] = [
  ["POST", "/api/commands", { type: "set_setpoints", brew_c: 105, steam_c: 160 }],
  ["PATCH", "/api/settings", { hub: { machine_name: "pwned", retention: { keep_count: 1 } } }],
  ["POST", "/api/backup", { settings: { hub: { machine_name: "pwned" } } }],
  ["PUT", "/api/profiles/library/evil", { id: "evil", name: "Evil", phases: [] }],
  ["POST", "/api/maintenance", { kind: "backflush" }],
  ["PATCH", "/api/shots/00000000-0000-7000-8000-000000000000", { notes: "pwned" }],
  ["DELETE", "/api/profiles/library/anything", undefined],
  ["PUT", "/api/next-shot", { target_g: 200 }],
  ["POST", "/api/scale/tare", {}],
  ["POST", "/api/scale/scan", { seconds: 1 }],
  ["POST", "/api/scale/pair", { id: "/org/bluez/hci0/dev_EV_IL" }],
  ["DELETE", "/api/scale/remembered/anything", undefined],
  ["POST", "/api/remote/ticket", {}],
  ["POST", "/api/remote/claim", { iss: "https://accounts.google.com", sub: "1" }],
  ["POST", "/api/controller/firmware/update", {}],
  ["POST", "/api/controller/firmware/abort", {}],
  ["POST", "/api/network/wifi", { ssid: "Kitchen", password: "espresso-2026" }],
];

function send(method: string, path: string, body: unknown, headers: Record<string, string>) {
  return fetch(`${h.base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
}

describe("no cross-site control", () => {
  test("Host: IP literals, localhost and .local names pass; other names are refused (DNS rebinding)", () => {
    expect(hostOnly("127.0.0.1:8080")).toBe("127.0.0.1");
    expect(hostOnly("[::1]:8080")).toBe("::1");
    expect(hostOnly("BrewOS.local")).toBe("brewos.local");
    for (const ok of ["127.0.0.1", "192.168.1.20", "::1", "localhost", "brewos.local", "kitchen-espresso.local"])
      expect(hostAllowed(ok)).toBe(true);
    for (const bad of ["evil.example", "brewos.local.evil.example", "", "localhost.evil.example"]) expect(hostAllowed(bad)).toBe(false);
    expect(hostAllowed("espresso.home.arpa", ["espresso.home.arpa"])).toBe(true);
  });

  test("the attack matrix: every route refused from another origin, by a rebinding Host, or as a form/text body", async () => {
    const before = JSON.stringify(h.hub.settings.view());
    const desired = JSON.stringify(h.hub.control.current());
    const recipe = JSON.stringify(h.hub.nextShot.get());
    const host = new URL(h.base).host;
    const matrix: { route: string; attack: string; status: number; code: string }[] = [];
    for (const [method, path, body] of routes) {
      const attacks: [string, Record<string, string>][] = [
        ["page on another origin", { ...JSON_TYPE, origin: "http://evil.example" }],
        ["opaque origin (sandboxed frame)", { ...JSON_TYPE, origin: "null" }],
        [
          "DNS rebinding (Host of the attacker)",
          { ...JSON_TYPE, host: `evil.example:${new URL(h.base).port}`, origin: `http://evil.example:${new URL(h.base).port}` },
        ],
      ];
      if (method !== "DELETE") {
        attacks.push(["text/plain simple POST", { "content-type": "text/plain", origin: `http://${host}` }]);
        attacks.push(["HTML form, no Origin (old browser)", { "content-type": "application/x-www-form-urlencoded" }]);
        attacks.push(["multipart form", { "content-type": "multipart/form-data; boundary=x" }]);
      }
      for (const [attack, headers] of attacks) {
        const r = await send(method, path, body, headers);
        const code = ((await r.json()) as { error?: { code: string } }).error?.code ?? "none";
        matrix.push({ route: `${method} ${path.replace(/[0-9a-f-]{36}/, ":id")}`, attack, status: r.status, code });
      }
    }
    console.log(
      JSON.stringify(
        matrix.map((m) => `${m.route} | ${m.attack} | ${m.status} ${m.code}`),
        null,
        1,
      ),
    );
    for (const m of matrix) expect([403, 415, 421]).toContain(m.status);
    // Reads through a rebinding name are refused too: the page would otherwise read the backup.
    for (const path of ["/api/backup", "/api/shots", "/api/settings"]) {
      const r = await send("GET", path, undefined, { host: `evil.example:${new URL(h.base).port}` });
      expect({ path, status: r.status }).toEqual({ path, status: 421 });
    }
    expect(JSON.stringify(h.hub.settings.view())).toBe(before);
    expect(JSON.stringify(h.hub.control.current())).toBe(desired);
    expect(JSON.stringify(h.hub.nextShot.get())).toBe(recipe); // the shared recipe too
  });

  test("a WebSocket from another origin or a rebinding name is refused; the hub's own origin connects", async () => {
    const port = new URL(h.base).port;
    const open = (headers: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers } as unknown as string[]);
        ws.onopen = () => {
          ws.close();
          resolve("open");
        };
        ws.onerror = () => resolve("refused");
      });
    expect(await open({ origin: "http://evil.example" })).toBe("refused");
    expect(await open({ host: `evil.example:${port}`, origin: `http://evil.example:${port}` })).toBe("refused");
    expect(await open({ origin: `http://127.0.0.1:${port}` })).toBe("open");
  });

  test("the same origin with JSON, and a script with no Origin, still change settings", async () => {
    const host = new URL(h.base).host;
    const own = await send("PATCH", "/api/settings", { hub: { machine_name: "Kitchen" } }, { ...JSON_TYPE, origin: `http://${host}` });
    expect(own.status).toBe(200);
    const script = await send("PATCH", "/api/settings", { hub: { machine_name: "Kitchen 2" } }, JSON_TYPE);
    expect(script.status).toBe(200);
    expect(h.hub.settings.hubSettings().machine_name).toBe("Kitchen 2");
  });

  test("reads from another site are refused by the hub too (Origin, or the browser's Sec-Fetch-Site), not only hidden by the browser", async () => {
    for (const path of ["/api/backup", "/api/shots", "/api/settings", "/api/state"]) {
      expect((await fetch(`${h.base}${path}`, { headers: { origin: "http://evil.example" } })).status).toBe(403);
      expect((await fetch(`${h.base}${path}`, { headers: { "sec-fetch-site": "cross-site" } })).status).toBe(403);
      expect((await fetch(`${h.base}${path}`, { headers: { "sec-fetch-site": "same-origin" } })).status).toBe(200);
    }
    // The app's pages may still be opened from a link on another site.
    expect((await fetch(`${h.base}/`, { headers: { "sec-fetch-site": "cross-site" } })).status).not.toBe(403);
  });

  test("a shorter history that would delete shots needs ?confirm=delete_shots; nothing is deleted before", async () => {
    const now = Date.now();
    for (const [i, days] of [40, 50, 1].entries()) recordShot(h.hub.shots, { started_at_ms: now - days * 86_400_000, shot_token: 100 + i });
    const patch = { method: "PATCH", headers: JSON_TYPE, body: JSON.stringify({ hub: { retention: { keep_days: 30 } } }) };
    const refused = await fetch(`${h.base}/api/settings`, patch);
    expect(refused.status).toBe(409);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("confirm_required");
    expect(body.error.message).toContain("2 shots");
    expect(h.hub.shots.list(500).length).toBe(3);
    expect(h.hub.settings.hubSettings().retention.keep_days).toBe(0);
    expect((await fetch(`${h.base}/api/settings?confirm=delete_shots`, patch)).status).toBe(200);
    expect(h.hub.shots.list(500).length).toBe(1);
    // Nothing to delete: no question asked.
    const longer = { ...patch, body: JSON.stringify({ hub: { retention: { keep_days: 60 } } }) };
    expect((await fetch(`${h.base}/api/settings`, longer)).status).toBe(200);
  });

  test("a router's DNS name is answered once the owner adds it to host_names", async () => {
    const port = new URL(h.base).port;
    expect((await send("GET", "/api/state", undefined, { host: `brewos.lan:${port}` })).status).toBe(421);
    expect((await send("PATCH", "/api/settings", { hub: { host_names: ["BrewOS.lan"] } }, JSON_TYPE)).status).toBe(200);
    expect((await send("GET", "/api/state", undefined, { host: `brewos.lan:${port}` })).status).toBe(200);
    expect((await send("PATCH", "/api/settings", { hub: { host_names: ["not a name"] } }, JSON_TYPE)).status).toBe(400);
  });
});
