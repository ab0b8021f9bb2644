/**
 * Golden vectors for pairing and session proofs, checked against this module and independently
 * against node:crypto (Ed25519 key and signatures, SHA-256 ids, HMAC), so a change to either side
 * of the wire shows up here. The hub key is RFC 8032's first test vector.
 */
import { describe, expect, test } from "bun:test";
import { createHash, createHmac, createPrivateKey, createPublicKey, sign as nodeSign } from "node:crypto";
import vectors from "../vectors/auth.json";
import {
  fromBase64Url,
  fromHex,
  idForPublicKey,
  keyPair,
  normaliseTypedCode,
  pairingLink,
  pairingMac,
  parsePairingLink,
  sessionProofMessage,
  sign,
  toBase64Url,
  toHex,
  typedCodeFrom,
  utf8,
  verify,
} from "./index.ts";

const hub = keyPair(fromHex(vectors.hub_seed));
const app = keyPair(fromHex(vectors.app_seed));
const transcript = {
  hubPublicKey: hub.publicKey,
  appPublicKey: app.publicKey,
  hubNonce: fromHex(vectors.hub_nonce),
  appNonce: fromHex(vectors.app_nonce),
  appName: vectors.app_name,
};

function nodeKey(seedHex: string) {
  return createPrivateKey({
    key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.from(seedHex, "hex")]),
    format: "der",
    type: "pkcs8",
  });
}

function base32Independent(bytes: Buffer): string {
  const bits = [...bytes].map((b) => b.toString(2).padStart(8, "0")).join("");
  return (bits.match(/.{1,5}/g) ?? []).map((g) => "abcdefghijklmnopqrstuvwxyz234567"[Number.parseInt(g.padEnd(5, "0"), 2)]).join("");
}

describe("auth golden vectors", () => {
  test("keys and self-certifying ids", () => {
    expect(toHex(hub.publicKey)).toBe(vectors.hub_public_key);
    expect(toHex(app.publicKey)).toBe(vectors.app_public_key);
    const raw = createPublicKey(nodeKey(vectors.hub_seed)).export({ format: "der", type: "spki" }).subarray(-32);
    expect(raw.toString("hex")).toBe(vectors.hub_public_key);
    expect(idForPublicKey(hub.publicKey)).toBe(vectors.device_id);
    expect(base32Independent(createHash("sha256").update(hub.publicKey).digest().subarray(0, 16))).toBe(vectors.device_id);
    expect(idForPublicKey(app.publicKey)).toBe(vectors.app_id);
  });

  test("pairing macs (both roles, typed code and QR secret)", () => {
    expect(typedCodeFrom(fromHex(vectors.typed_code_random))).toBe(vectors.typed_code);
    expect(toHex(pairingMac(vectors.typed_code, "app", transcript))).toBe(vectors.app_mac_typed);
    expect(toHex(pairingMac(vectors.typed_code, "hub", transcript))).toBe(vectors.hub_mac_typed);
    expect(toHex(pairingMac(vectors.qr_secret, "app", transcript))).toBe(vectors.app_mac_qr);
    const body = Buffer.concat([
      Buffer.from("brewos-pair-v1 app\n"),
      hub.publicKey,
      app.publicKey,
      transcript.hubNonce,
      transcript.appNonce,
      createHash("sha256").update(vectors.app_name).digest(),
    ]);
    expect(createHmac("sha256", vectors.typed_code).update(body).digest("hex")).toBe(vectors.app_mac_typed);
  });

  test("a changed key, nonce or name changes the mac", () => {
    const base = toHex(pairingMac(vectors.typed_code, "app", transcript));
    const other = keyPair(fromHex("11".repeat(32))).publicKey;
    expect(toHex(pairingMac(vectors.typed_code, "app", { ...transcript, hubPublicKey: other }))).not.toBe(base);
    expect(toHex(pairingMac(vectors.typed_code, "app", { ...transcript, appPublicKey: other }))).not.toBe(base);
    expect(toHex(pairingMac(vectors.typed_code, "app", { ...transcript, appNonce: new Uint8Array(16) }))).not.toBe(base);
    expect(toHex(pairingMac(vectors.typed_code, "app", { ...transcript, appName: "Mallory" }))).not.toBe(base);
    expect(toHex(pairingMac("M6SC-7N76", "app", transcript))).not.toBe(base);
  });

  test("session proofs: signatures match node:crypto and do not cross domains", () => {
    const ws = sessionProofMessage("ws", vectors.device_id, vectors.session_nonce);
    expect(new TextDecoder().decode(ws)).toBe(vectors.ws_message);
    expect(toHex(sign(ws, app.secretKey))).toBe(vectors.ws_signature);
    expect(nodeSign(null, ws, nodeKey(vectors.app_seed)).toString("hex")).toBe(vectors.ws_signature);
    const rest = sessionProofMessage("rest", vectors.device_id, vectors.session_nonce);
    expect(toHex(sign(rest, app.secretKey))).toBe(vectors.rest_signature);
    expect(verify(fromHex(vectors.ws_signature), ws, app.publicKey)).toBe(true);
    expect(verify(fromHex(vectors.ws_signature), rest, app.publicKey)).toBe(false);
    expect(verify(fromHex(vectors.ws_signature), ws, hub.publicKey)).toBe(false);
    expect(verify(new Uint8Array(3), ws, app.publicKey)).toBe(false);
    expect(verify(fromHex(vectors.ws_signature), ws, new Uint8Array(31))).toBe(false);
  });

  test("the pairing link round-trips and refuses what is not one", () => {
    const link = pairingLink({
      deviceId: vectors.device_id,
      hubPublicKey: hub.publicKey,
      secret: vectors.qr_secret,
      bases: vectors.link_bases,
    });
    expect(link).toBe(vectors.link);
    const back = parsePairingLink(link);
    expect(back?.deviceId).toBe(vectors.device_id);
    expect(back?.secret).toBe(vectors.qr_secret);
    expect(back?.bases).toEqual(vectors.link_bases);
    expect(toHex(back?.hubPublicKey ?? new Uint8Array())).toBe(vectors.hub_public_key);
    for (const bad of [
      "",
      "hello",
      "ftp://x/pair#v=1",
      link.replace("v=1", "v=2"),
      link.replace("/pair#", "/other#"),
      link.replace(/k=[^&]+/, "k=AAAA"),
      link.replace(/s=[^&]+/, "s=short"),
    ])
      expect(parsePairingLink(bad)).toBeNull();
  });

  test("an invite away from home opens at the relay's origin and names the relay and the hub's LAN addresses", () => {
    const offer = { deviceId: vectors.device_id, hubPublicKey: hub.publicKey, secret: vectors.qr_secret, bases: vectors.link_bases };
    const link = pairingLink({ ...offer, relayUrl: "wss://relay.example.net/app" });
    expect(link.startsWith("https://relay.example.net/pair#")).toBe(true);
    const back = parsePairingLink(link);
    expect(back?.relayUrl).toBe("wss://relay.example.net/app");
    expect(back?.bases).toEqual(vectors.link_bases); // the relay's origin is not the hub's
    expect(() => pairingLink({ ...offer, relayUrl: "https://relay.example.net/app" })).toThrow();
    // A link whose relay is not the origin it opens at, or no relay's app endpoint, is not an invite.
    expect(parsePairingLink(link.replace("https://relay.example.net", "https://elsewhere.example"))).toBeNull();
    expect(parsePairingLink(link.replace(encodeURIComponent("/app"), encodeURIComponent("/hub")))).toBeNull();
  });

  test("typed codes: what people type is read generously, anything else refused", () => {
    expect(normaliseTypedCode("m6sc 7n75")).toBe("M6SC-7N75");
    expect(normaliseTypedCode("M6SC7N75")).toBe("M6SC-7N75");
    expect(normaliseTypedCode("O1IL-0000")).toBe("0111-0000");
    expect(normaliseTypedCode("M6SC-7N7")).toBeNull();
    expect(normaliseTypedCode("M6SC-7N7U")).toBeNull();
    for (let i = 0; i < 50; i++) {
      const code = typedCodeFrom(crypto.getRandomValues(new Uint8Array(5)));
      expect(normaliseTypedCode(code.toLowerCase())).toBe(code);
    }
  });

  test("base64url round-trips every length", () => {
    for (let n = 0; n < 40; n++) {
      const b = crypto.getRandomValues(new Uint8Array(n));
      expect(toHex(fromBase64Url(toBase64Url(b)) ?? new Uint8Array([1]))).toBe(toHex(b));
      expect(toBase64Url(b)).toBe(Buffer.from(b).toString("base64url"));
    }
    expect(fromBase64Url("a+b")).toBeNull();
    expect(utf8("é").length).toBe(2);
  });
});
