/**
 * Accounts on a real relay, with a real OpenID Connect issuer of the test's own on 127.0.0.1 (an
 * RSA key, its JWKS served over HTTP, ID tokens signed with jose — the relay fetches and checks
 * them exactly as it would Google's): a machine claimed by an account is listed on every phone
 * signed in to it, and on nobody else's; tokens with the wrong audience, issuer, expiry or key are
 * refused, as are claims for another account, signed by another key or for an unknown machine. The
 * list opens nothing: without the machine's ticket (pairing) a signed-in phone cannot join it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { idForPublicKey, keyPair, signerFor } from "@brewos/protocol/auth";
import { RELAY_CLOSE } from "@brewos/protocol/relay";
import { issueClaim } from "@brewos/protocol/relay/account-claim";
import { generateKeyPair } from "jose";
import { Accounts, googleOidc, sqliteClaims } from "./accounts.ts";
import { Relay } from "./relay.ts";
import { startIssuer, TEST_AUDIENCE, type TestIssuer } from "./testing/oidc-issuer.ts";
import { connectHub, joinApp } from "./testing/peer.ts";

const dir = mkdtempSync(join(tmpdir(), "brewos-relay-accounts-"));
let oidc: TestIssuer;
let issuer = "";
let relay: Relay;
let server: ReturnType<typeof Bun.serve>;
let base = "";
const matrix: [string, string][] = [];
const idToken: TestIssuer["idToken"] = (sub, edit) => oidc.idToken(sub, edit);

beforeAll(async () => {
  oidc = await startIssuer();
  issuer = oidc.issuer;
  relay = new Relay({ dataDir: dir, oidc: { issuers: [issuer], audience: TEST_AUDIENCE, jwksUrl: oidc.jwksUrl } });
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: relay.fetch, websocket: relay.websocket });
  base = `127.0.0.1:${server.port}`;
});

afterAll(() => {
  console.log(`relay accounts matrix:\n${matrix.map(([what, got]) => `  ${what.padEnd(52)} ${got}`).join("\n")}`);
  relay.stop();
  server.stop(true);
  oidc.stop();
  rmSync(dir, { recursive: true, force: true });
});

const api = (path: string, token: string | null, init: RequestInit = {}) =>
  fetch(`http://${base}/api/account${path}`, {
    ...init,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });

describe("accounts on the relay", () => {
  test("a claimed machine is listed on every phone of the account and no one else's; it opens nothing", async () => {
    const { hub, keys, id } = await connectHub(`ws://${base}`);
    const claim = issueClaim({ hub: id, iss: issuer, sub: "anna", name: "Kitchen", at_ms: Date.now() }, signerFor(keys));
    const r = await api("/claims", await idToken("anna"), { method: "POST", body: JSON.stringify({ claim }) });
    expect(r.status).toBe(200);
    // Another phone signed in to the same account (a fresh token) sees it, online.
    const list = (await (await api("/devices", await idToken("anna"))).json()) as { devices: Record<string, unknown>[] };
    expect(list.devices).toEqual([{ hub_id: id, name: "Kitchen", claimed_at_ms: expect.any(Number), online: true }]);
    matrix.push(["a phone of the claiming account", "lists the machine (online)"]);
    expect(((await (await api("/devices", await idToken("bob"))).json()) as { devices: unknown[] }).devices).toEqual([]);
    matrix.push(["a phone of another account", "lists nothing"]);
    // The list opens nothing: joining the machine needs a ticket, which only pairing gives.
    const phone = keyPair();
    const p = await joinApp(`ws://${base}`, "not.a.ticket", phone);
    expect((await p.closedWith()).code).toBe(RELAY_CLOSE.refused);
    matrix.push(["that phone joining the machine without pairing", `closed ${RELAY_CLOSE.refused}`]);
    // Unclaimed: gone from the list; a second time is 404.
    expect((await api(`/devices/${id}`, await idToken("anna"), { method: "DELETE" })).status).toBe(200);
    expect((await api(`/devices/${id}`, await idToken("anna"), { method: "DELETE" })).status).toBe(404);
    expect(((await (await api("/devices", await idToken("anna"))).json()) as { devices: unknown[] }).devices).toEqual([]);
    hub.ws.close();
  });

  test("ID tokens that are not the issuer's for this client, and claims that are not the machine's for this account, are refused", async () => {
    const { hub, keys, id } = await connectHub(`ws://${base}`);
    const good = () => issueClaim({ hub: id, iss: issuer, sub: "anna", name: "Kitchen", at_ms: Date.now() }, signerFor(keys));
    const stranger = (await generateKeyPair("RS256")).privateKey;
    const tokens: [string, () => Promise<string | null>][] = [
      ["no ID token", async () => null],
      ["an ID token for another client (aud)", () => idToken("anna", { aud: "someone-else" })],
      ["an ID token from another issuer (iss)", () => idToken("anna", { iss: "https://evil.example" })],
      ["an expired ID token (exp)", () => idToken("anna", { expS: -120 })],
      ["an ID token signed by another key", () => idToken("anna", { key: stranger })],
      ["garbage for an ID token", async () => "a.b.c"],
    ];
    for (const [what, token] of tokens) {
      const r = await api("/claims", await token(), { method: "POST", body: JSON.stringify({ claim: good() }) });
      matrix.push([what, `${r.status}`]);
      expect({ what, status: r.status }).toEqual({ what, status: 401 });
    }
    const other = keyPair();
    const claims: [string, string][] = [
      ["a claim for another account", issueClaim({ hub: id, iss: issuer, sub: "mallory", name: "K", at_ms: 1 }, signerFor(keys))],
      ["a claim signed by another machine's key", issueClaim({ hub: id, iss: issuer, sub: "anna", name: "K", at_ms: 1 }, signerFor(other))],
      [
        "a claim for a machine the relay never saw",
        issueClaim({ hub: idForPublicKey(other.publicKey), iss: issuer, sub: "anna", name: "K", at_ms: 1 }, signerFor(other)),
      ],
      ["garbage for a claim", "not-a-claim"],
    ];
    for (const [what, claim] of claims) {
      const r = await api("/claims", await idToken("anna"), { method: "POST", body: JSON.stringify({ claim }) });
      matrix.push([what, `${r.status}`]);
      expect({ what, status: r.status }).toEqual({ what, status: 403 });
    }
    expect(((await (await api("/devices", await idToken("anna"))).json()) as { devices: unknown[] }).devices).toEqual([]);
    // The app lives on each machine's own origin: any origin may ask, with its token as the only credential.
    const pre = await fetch(`http://${base}/api/account/devices`, {
      method: "OPTIONS",
      headers: {
        origin: "http://192.168.1.20:8080",
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      },
    });
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    hub.ws.close();
  });

  test("Google's preset: both of Google's issuer forms are accepted for the configured client id, nothing else", async () => {
    const { Database } = await import("bun:sqlite");
    const google = { ...googleOidc(TEST_AUDIENCE), jwksUrl: oidc.jwksUrl }; // Google's rules, the test's keys
    const accounts = new Accounts(sqliteClaims(new Database(":memory:")), google, async () => null);
    const ask = async (edit: Parameters<typeof idToken>[1]) => accounts.who(`Bearer ${await idToken("117", edit)}`);
    expect(await ask({ iss: "https://accounts.google.com" })).toEqual({ iss: "https://accounts.google.com", sub: "117" });
    expect(await ask({ iss: "accounts.google.com" })).toEqual({ iss: "accounts.google.com", sub: "117" });
    expect(await ask({ iss: "https://accounts.google.com.evil.example" })).toHaveProperty("why");
    expect(await ask({ iss: "accounts.google.com", aud: "another-client" })).toHaveProperty("why");
    expect(googleOidc("x").jwksUrl).toBe("https://www.googleapis.com/oauth2/v3/certs");
    matrix.push(["Google's two issuer forms, this client id", "accepted; other issuer or client refused"]);
  });
});
