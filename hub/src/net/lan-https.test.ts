/**
 * HTTPS at home against real servers (testing/home-https.ts): pebble issues the hub a wildcard for
 * `*.<device-id>.<zone>` by DNS-01 through the relay's zone DNS; the hub serves it at its name;
 * an address change is another name under the same certificate; with 20-second certificates the
 * hub renews by itself before expiry and swaps the new one in while an open connection carries on;
 * a browser asking over plain HTTP on the LAN is sent to the HTTPS origin, loopback stays.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { X509Certificate } from "node:crypto";
import { connect, type TLSSocket } from "node:tls";
import { keyPair, pairWithHub } from "@brewos/protocol/auth";
import { lanHostName } from "@brewos/protocol/relay/lan-names";
import { HOME_ZONE, type HomeHttps, startHomeHttps } from "../testing/home-https.ts";
import { until } from "../testing/until.ts";

let home: HomeHttps;
let root = "";

beforeAll(async () => {
  home = await startHomeHttps({ validityS: 20 });
}, 30_000);
afterAll(async () => {
  await home?.stop();
});

interface Status {
  state: string;
  name: string | null;
  not_after_ms: number | null;
  renew_at_ms: number | null;
  origin: string | null;
  name_check: string;
  serving: boolean;
}
const status = async () => (await (await fetch(`${home.base}/api/lan-https`)).json()) as Status;

/** A TLS connection to the hub's HTTPS port for `servername`, verified against pebble's root. */
function tlsTo(servername: string): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: "127.0.0.1", port: home.httpsPort, servername, ca: root }, () => resolve(s));
    s.once("error", reject);
  });
}
function get(s: TLSSocket, host: string, path: string, headers = ""): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    const onData = (d: Buffer) => {
      text += d.toString();
      if (/\r\n\r\n/.test(text)) {
        s.off("data", onData);
        resolve(text.split("\r\n")[0] ?? "");
      }
    };
    s.on("data", onData);
    s.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\n${headers}\r\n`);
  });
}

/** Pairs a new key as a phone on the LAN would (Host brewos.local, plain HTTP); the cookie the hub set. */
async function pairOverPlainHttp(): Promise<{ appId: string; cookie: string }> {
  const code = (await (
    await fetch(`${home.base}/api/pairing/code`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })
  ).json()) as { typed_code: string };
  let cookie = "";
  const lanFetch = async (url: string, init?: RequestInit) => {
    const r = await fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), host: "brewos.local:8080" } });
    cookie = r.headers.get("set-cookie")?.split(";")[0] ?? cookie;
    return r;
  };
  const r = await pairWithHub({ base: home.base, fetch: lanFetch, keys: keyPair(), name: "Phone", secret: code.typed_code, via: "typed" });
  return { appId: r.appId, cookie };
}

describe("HTTPS at home", () => {
  test("issued by DNS-01 through the relay, served at the hub's name, renewed before expiry without dropping a connection", async () => {
    await until("a certificate", () => home.output().includes("HTTPS at home: got a certificate"), 30_000);
    // The hub looks its name up as phones would (here: at the relay's DNS) before sending anyone there.
    await until("the name checked", () => home.output().includes("resolves here"), 10_000);
    const first = await status();
    root = await home.pebbleRoot();
    expect(first).toMatchObject({ state: "valid", serving: true, name_check: "ok" });
    const id = /\*\.([a-z2-7]{26})\./.exec(first.name ?? "")?.[1] ?? "";
    expect(first.name).toBe(`*.${id}.${HOME_ZONE}`);
    const name = lanHostName("127.0.0.1", id, HOME_ZONE);
    expect(first.origin).toBe(`https://${name}:${home.httpsPort}`);
    console.log(
      `issued: ${first.name}, valid until ${new Date(first.not_after_ms ?? 0).toISOString()}, renew at ${new Date(first.renew_at_ms ?? 0).toISOString()}`,
    );

    // Verified by a client trusting only pebble's root, at the hub's name; and at the name of
    // another address (DHCP moved the board): the same wildcard, nothing reissued.
    const kept = await tlsTo(name);
    expect(kept.authorized).toBe(true);
    const cert1 = new X509Certificate(kept.getPeerX509Certificate()?.raw ?? Buffer.alloc(0));
    // The live socket the app keeps open (/ws, here as the machine's display on loopback).
    expect(
      await get(
        kept,
        name,
        "/ws",
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n",
      ),
    ).toBe("HTTP/1.1 101 Switching Protocols");
    let liveBytes = 0;
    kept.on("data", (d: Buffer) => {
      liveBytes += d.length;
    });
    const check = await tlsTo(name);
    expect(await get(check, name, "/api/info")).toMatch(/^HTTP\/1\.1 200/);
    check.end();
    const moved = await tlsTo(lanHostName("192.168.7.42", id, HOME_ZONE));
    expect(moved.authorized).toBe(true);
    moved.end();
    // …but no other hub's name.
    await expect(tlsTo(`127-0-0-1.aaaaaaaaaaaaaaaaaaaaaaaaaa.${HOME_ZONE}`)).rejects.toThrow(/altnames|Hostname/i);

    // Plain HTTP from the LAN goes to the HTTPS origin; the API and loopback (the display) stay.
    const lan = await fetch(`${home.base}/settings?x=1`, { headers: { host: "brewos.local:8080" }, redirect: "manual" });
    expect(lan.status).toBe(307);
    expect(lan.headers.get("location")).toBe(`https://${name}:${home.httpsPort}/settings?x=1`);
    expect((await fetch(`${home.base}/api/info`, { headers: { host: "brewos.local:8080" }, redirect: "manual" })).status).not.toBe(307);
    expect((await fetch(`${home.base}/display`, { redirect: "manual" })).status).not.toBe(307);
    // A name the hub does not answer to (DNS rebinding) is refused, not sent on.
    expect((await fetch(`${home.base}/`, { headers: { host: "evil.example" }, redirect: "manual" })).status).toBe(421);
    // A browser whose app is paired at the plain address stays there (its key lives in that
    // origin's storage) until the app moved its pairing; a removed app's cookie counts for nothing.
    const paired = await pairOverPlainHttp();
    const withCookie = () =>
      fetch(`${home.base}/`, { headers: { host: "brewos.local:8080", cookie: paired.cookie }, redirect: "manual" }).then((r) => r.status);
    expect(paired.cookie).toMatch(/^brewos_app=[a-z2-7]{26}$/);
    expect(await withCookie()).toBe(200);
    await fetch(`${home.base}/api/pairing/apps/${paired.appId}`, { method: "DELETE" });
    expect(await withCookie()).toBe(307);

    // 20-second certificates: renewed at two thirds of their life, before they run out.
    const renewed = await until("a renewal", () => home.output().includes("HTTPS at home: renewed"), 30_000)
      .catch((e: Error) => {
        throw new Error(`${e.message}; the hub said:\n${home.output().slice(-3000)}`);
      })
      .then(status);
    expect(renewed.not_after_ms).toBeGreaterThan(first.not_after_ms ?? 0);
    expect(Date.now()).toBeLessThan(first.not_after_ms ?? 0); // before the first one expired
    const fresh = await tlsTo(name);
    const cert2 = new X509Certificate(fresh.getPeerX509Certificate()?.raw ?? Buffer.alloc(0));
    expect(cert2.serialNumber).not.toBe(cert1.serialNumber);
    fresh.end();
    // The live socket opened before the renewal was never dropped: it still streams the machine's state.
    const before = liveBytes;
    await until("live state after the renewal", () => liveBytes > before, 5000);
    expect(kept.destroyed).toBe(false);
    kept.destroy();
    console.log(
      `renewed: valid until ${new Date(renewed.not_after_ms ?? 0).toISOString()} (the first ran until ${new Date(first.not_after_ms ?? 0).toISOString()})`,
    );
  }, 90_000);
});
