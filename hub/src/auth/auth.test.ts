/**
 * Local authentication on a real hub on disk, reached over HTTP from 127.0.0.1 with the kiosk
 * trust turned off (so these requests are "another device on the LAN"): unpaired REST and /ws
 * refused, pairing with typed and QR secrets (wrong, reused, expired codes refused; the rate
 * limit), sessions, revocation closing a live socket, and "open on my network".
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  fromBase64Url,
  idForPublicKey,
  keyPair,
  type PairingError,
  pairWithHub,
  parsePairingLink,
  sessionProofMessage,
  sign,
  signIn,
  toBase64Url,
} from "@brewos/protocol/auth";
import { openDatabase } from "../store/db.ts";
import { hubOnDisk } from "../testing/hub-on-disk.ts";
import { openSocket, pairTestApp } from "../testing/paired-app.ts";
import { PairedApps } from "./paired-apps.ts";
import { Sessions } from "./sessions.ts";

let h: Awaited<ReturnType<typeof hubOnDisk>>;

beforeAll(async () => {
  h = await hubOnDisk({ kioskAddresses: [], pairingTtlMs: 60_000 });
});
afterAll(() => h?.stop());

async function status(path: string, init: RequestInit = {}) {
  const r = await fetch(`${h.base}${path}`, init);
  const body = (await r.json().catch(() => null)) as { error?: { code: string } } | null;
  return `${r.status} ${body?.error?.code ?? ""}`.trim();
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe("the hub's identity", () => {
  test("an Ed25519 key in identity.key (0600); the device id is derived from the public key and survives a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "brewos-identity-"));
    try {
      const a = await hubOnDisk({ dataDir: dir });
      const info = (await (await fetch(`${a.base}/api/info`)).json()) as { hub: { device_id: string; public_key: string } };
      await a.stop();
      expect(statSync(join(dir, "identity.key")).mode & 0o777).toBe(0o600);
      expect(idForPublicKey(fromBase64Url(info.hub.public_key) as Uint8Array)).toBe(info.hub.device_id);
      const b = await hubOnDisk({ dataDir: dir });
      expect(b.hub.auth.identity.deviceId).toBe(info.hub.device_id);
      await b.stop();
      // A damaged key file: moved aside, a new identity made, the hub still comes up.
      writeFileSync(join(dir, "identity.key"), "not a key");
      const warnings: string[] = [];
      const c = await hubOnDisk({ dataDir: dir, log: (l, t) => l === "warn" && warnings.push(t) });
      expect(c.hub.auth.identity.deviceId).not.toBe(info.hub.device_id);
      expect((await fetch(`${c.base}/api/info`)).status).toBe(200);
      await c.stop();
      expect(readdirSync(dir).some((f) => f.startsWith("identity.key.damaged-"))).toBe(true);
      expect(warnings.some((w) => w.includes("pair again"))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("an unpaired device on the network", () => {
  test("every REST route that reads or changes the machine answers 401 and nothing changes", async () => {
    const before = JSON.stringify(h.hub.settings.view());
    const routes: [string, RequestInit][] = [
      ["/api/state", {}],
      ["/api/health", {}],
      ["/api/shots", {}],
      ["/api/settings", {}],
      ["/api/backup", {}],
      ["/api/statistics", {}],
      ["/api/pairing/apps", {}],
      ["/api/commands", json("POST", { type: "set_temps", brew_c: 105 })],
      ["/api/settings", json("PATCH", { hub: { retention: { keep_count: 1 } } })],
      ["/api/backup", json("POST", {})],
      ["/api/pairing/code", json("POST", {})],
      ["/api/profiles/library/x", { method: "DELETE" }],
      ["/api/next-shot", {}],
      ["/api/next-shot", json("PUT", { target_g: 200 })],
      ["/api/scale/tare", json("POST", {})],
      ["/api/scale", {}],
      ["/api/scale/scan", json("POST", { seconds: 1 })],
      ["/api/scale/pair", json("POST", { id: "/org/bluez/hci0/dev_EV_IL" })],
      ["/api/scale/remembered/x", { method: "DELETE" }],
      ["/api/remote", {}],
      ["/api/remote/ticket", json("POST", {})],
      ["/api/remote/claim", json("POST", { iss: "https://accounts.google.com", sub: "1" })],
      ["/api/controller/firmware", {}],
      ["/api/controller/firmware/update", json("POST", {})],
      ["/api/controller/firmware/abort", json("POST", {})],
      ["/api/network/wifi", {}],
      ["/api/network/wifi", json("POST", { ssid: "Kitchen", password: "espresso-2026" })],
    ];
    for (const [path, init] of routes)
      expect(`${init.method ?? "GET"} ${path} ${await status(path, init)}`).toBe(`${init.method ?? "GET"} ${path} 401 unauthenticated`);
    expect(JSON.stringify(h.hub.settings.view())).toBe(before);
    // What an unpaired app needs to pair is open, and says it is not signed in.
    const info = (await (await fetch(`${h.base}/api/info`)).json()) as Record<string, unknown>;
    expect(info.caller).toBeNull();
    expect(info.controller).toBeUndefined();
  });

  test("a made-up or tampered session token is refused", async () => {
    expect(await status("/api/state", { headers: { authorization: "Bearer abc.def" } })).toBe("401 unauthenticated");
    const app = await pairTestApp(h, "Token test");
    const [body, mac] = app.token.split(".") as [string, string];
    const forged = `${Buffer.from(JSON.stringify({ a: app.appId, e: Date.now() + 1e9 })).toString("base64url")}.${mac}`;
    expect(await status("/api/state", { headers: { authorization: `Bearer ${forged}` } })).toBe("401 unauthenticated");
    expect(await status("/api/state", { headers: { authorization: `Bearer ${body}.${mac}` } })).toBe("200");
  });

  test("/ws: a challenge first; anything but its answer, or an unpaired key, closes the socket (4401) before any state is sent", async () => {
    const s = openSocket(h.base);
    const ch = await s.next("auth_challenge");
    expect(ch.device_id).toBe(h.hub.auth.identity.deviceId);
    s.ws.send(JSON.stringify({ type: "command", id: 1, command: { type: "power", on: true } }));
    expect((await s.closed).code).toBe(4401);
    expect(s.messages.map((m) => m.type)).toEqual(["auth_challenge", "error"]);
    const stranger = openSocket(h.base, keyPair());
    expect((await stranger.closed).code).toBe(4401);
    expect(stranger.messages.some((m) => m.type === "snapshot")).toBe(false);
  });
});

describe("pairing", () => {
  test("typed code: paired, then REST with a session token and /ws with a signed challenge", async () => {
    const app = await pairTestApp(h, "Anna's phone");
    expect((await app.call("/api/state")).status).toBe(200);
    const info = (await (await app.call("/api/info")).json()) as { caller: string };
    expect(info.caller).toBe("app");
    const s = openSocket(h.base, app.keys);
    expect((await s.next("auth_ok")).app_id).toBe(app.appId);
    await s.next("snapshot");
    s.ws.close();
    const apps = (await (await app.call("/api/pairing/apps")).json()) as { apps: { id: string; name: string; this_app: boolean }[] };
    expect(apps.apps.find((a) => a.id === app.appId)).toMatchObject({ name: "Anna's phone", this_app: true });
  });

  test("QR secret: a paired app shows a code for another phone; the link pairs it; the hub's key is checked", async () => {
    const first = await pairTestApp(h, "First");
    const code = (await (await first.call("/api/pairing/code", json("POST", {}))).json()) as { link: string; typed_code: string };
    const offer = parsePairingLink(code.link);
    expect(offer?.bases[0]).toBe(h.base);
    const keys = keyPair();
    const wrongKey = keyPair().publicKey;
    const refused = await pairWithHub({
      base: h.base,
      keys,
      name: "Evil twin check",
      secret: offer?.secret ?? "",
      via: "qr",
      expectHubKey: wrongKey,
    }).catch((e) => e);
    expect((refused as PairingError).code).toBe("wrong_hub");
    const paired = await pairWithHub({
      base: h.base,
      keys,
      name: "Second",
      secret: offer?.secret ?? "",
      via: "qr",
      expectHubKey: offer?.hubPublicKey as Uint8Array,
    });
    expect(paired.deviceId).toBe(h.hub.auth.identity.deviceId);
    await signIn({ base: h.base, keys });
  });

  test("wrong, reused and expired codes are refused; five wrong codes withdraw the code", async () => {
    const fail = (secret: string, via: "typed" | "qr" = "typed") =>
      pairWithHub({ base: h.base, keys: keyPair(), name: "x", secret, via }).then(
        () => "paired",
        (e: PairingError) => `${e.status} ${e.code}`,
      );
    const w = h.hub.auth.pairing.open();
    expect(await fail("AAAA-AAAA")).toBe("401 pairing_failed");
    expect(await fail(w.secret, "typed")).toBe("401 pairing_failed"); // the QR secret is not the typed code
    expect(await fail(w.typed)).toBe("paired");
    expect(await fail(w.typed)).toBe("410 pairing_closed"); // single use
    const w2 = h.hub.auth.pairing.open();
    for (let i = 0; i < 5; i++) expect(await fail("ZZZZ-ZZZZ")).toBe("401 pairing_failed");
    expect(await fail(w2.typed)).toBe("410 pairing_closed");
  });

  test("a code expires", async () => {
    const short = await hubOnDisk({ kioskAddresses: [], pairingTtlMs: 300 });
    try {
      const w = short.hub.auth.pairing.open();
      await Bun.sleep(400);
      const r = await pairWithHub({ base: short.base, keys: keyPair(), name: "late", secret: w.typed, via: "typed" }).catch(
        (e: PairingError) => e.code,
      );
      expect(r).toBe("pairing_closed");
    } finally {
      await short.stop();
    }
  });

  test("after ten wrong codes in a minute nothing is heard (429), even the right code", async () => {
    const fresh = await hubOnDisk({ kioskAddresses: [] });
    try {
      const tries: string[] = [];
      for (let i = 0; i < 11; i++) {
        const w = fresh.hub.auth.pairing.open(); // the kiosk shows a new code each time one is withdrawn
        const secret = i < 10 ? `${i}AAA-AAAA` : w.typed;
        tries.push(
          await pairWithHub({ base: fresh.base, keys: keyPair(), name: "guess", secret, via: "typed" }).then(
            () => "paired",
            (e: PairingError) => e.code,
          ),
        );
      }
      expect(tries).toEqual([...Array(10).fill("pairing_failed"), "rate_limited"]);
    } finally {
      await fresh.stop();
    }
  });
});

describe("revocation", () => {
  test("removing an app closes its live socket at once (4403) and its token stops working", async () => {
    const keep = await pairTestApp(h, "Keeper");
    const gone = await pairTestApp(h, "Lost phone");
    const s = openSocket(h.base, gone.keys);
    await s.next("snapshot");
    const other = openSocket(h.base, keep.keys);
    await other.next("snapshot");
    expect((await keep.call(`/api/pairing/apps/${gone.appId}`, { method: "DELETE" })).status).toBe(200);
    const closed = await s.closed;
    expect(closed.code).toBe(4403);
    expect((await gone.call("/api/state")).status).toBe(401);
    expect(await signIn({ base: h.base, keys: gone.keys }).catch((e: PairingError) => e.code)).toBe("unauthenticated");
    expect(other.ws.readyState).toBe(WebSocket.OPEN);
    other.ws.close();
  });
});

describe("open on my network", () => {
  test("off by default; on: no pairing needed, yet Host, Origin and JSON rules still hold; off again closes open sockets", async () => {
    expect(h.hub.settings.hubSettings().open_on_network).toBe(false);
    const owner = await pairTestApp(h, "Owner");
    expect((await owner.call("/api/settings", json("PATCH", { hub: { open_on_network: true } }))).status).toBe(200);
    expect(await status("/api/state")).toBe("200");
    const s = openSocket(h.base);
    await s.next("snapshot");
    expect(
      await status("/api/commands", {
        ...json("POST", { type: "power", on: true }),
        headers: { "content-type": "application/json", origin: "http://evil.example" },
      }),
    ).toBe("403 cross_origin");
    expect(
      await status("/api/commands", { method: "POST", headers: { "content-type": "text/plain" }, body: '{"type":"power","on":true}' }),
    ).toBe("415 json_required");
    expect(await status("/api/state", { headers: { host: "evil.example" } })).toBe("421 wrong_host");
    expect((await owner.call("/api/settings", json("PATCH", { hub: { open_on_network: false } }))).status).toBe(200);
    expect((await s.closed).code).toBe(4401);
    expect(await status("/api/state")).toBe("401 unauthenticated");
  });
});

describe("units", () => {
  test("session tokens expire; challenges are single use", () => {
    const dir = mkdtempSync(join(tmpdir(), "brewos-sessions-"));
    const db = openDatabase(join(dir, "hub.sqlite"));
    try {
      let now = 1_000_000;
      const apps = new PairedApps(db, () => now);
      const keys = keyPair();
      const app = apps.add(keys.publicKey, "unit");
      const s = new Sessions("device", apps, () => now);
      const t = s.issueToken(app.id);
      expect(s.checkToken(t.token)).toEqual({ ok: true, appId: app.id });
      now += 15 * 60_000;
      expect(s.checkToken(t.token)).toMatchObject({ ok: false, code: "session_expired" });
      const n = s.challenge();
      const sig = toBase64Url(sign(sessionProofMessage("rest", "device", n), keys.secretKey));
      expect(s.prove("rest", app.id, n, sig)).toBe(app.id);
      expect(s.prove("rest", app.id, n, sig)).toBeNull();
      const n2 = s.challenge();
      expect(s.prove("ws", app.id, n2, toBase64Url(sign(sessionProofMessage("rest", "device", n2), keys.secretKey)))).toBeNull();
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
