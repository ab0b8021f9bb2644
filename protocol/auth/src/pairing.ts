/**
 * @module Pairing (docs/api/pairing.md): the hub shows a one-time secret two ways — a short typed
 * code and a QR code holding a link to the hub's app with a long secret — and app and hub prove to
 * each other that they know it with HMAC-SHA256 over a transcript binding both public keys, both
 * nonces and the app's name. Whoever does not know the secret cannot complete the exchange or
 * substitute a key in it.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, fromBase64Url, toBase64Url, utf8 } from "./encoding.ts";
import { ID_PATTERN, PUBLIC_KEY_BYTES } from "./keys.ts";

/** Crockford base32: no I, L, O or U, so a code read aloud or off a small screen types back right. */
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const TYPED_CODE_CHARS = 8;
export const NONCE_BYTES = 16;

/** A typed code from 5 random bytes (40 bits): "7KQ2-M9XD". */
export function typedCodeFrom(random: Uint8Array): string {
  if (random.length < 5) throw new Error("a typed code needs 5 random bytes");
  let value = 0n;
  for (const b of random.slice(0, 5)) value = (value << 8n) | BigInt(b);
  let s = "";
  for (let i = 0; i < TYPED_CODE_CHARS; i++) s = CROCKFORD[Number((value >> BigInt(5 * i)) & 31n)] + s;
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

/** What a person typed, as the code it means ("7kq2 m9xd", "7KQ2M9XD" → "7KQ2-M9XD"); null if it cannot be one. */
export function normaliseTypedCode(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, "").replaceAll("O", "0").replace(/[IL]/g, "1");
  if (s.length !== TYPED_CODE_CHARS || [...s].some((c) => !CROCKFORD.includes(c))) return null;
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

/** What the QR code carries. */
export interface PairingOffer {
  /** The hub's device id (checked against its key). */
  deviceId: string;
  hubPublicKey: Uint8Array;
  /** The long one-time secret (base64url of 16 random bytes). */
  secret: string;
  /** Where the app can reach the hub, best first (http[s]://host:port). */
  bases: string[];
  /**
   * An invite to pair away from home (docs/remote.md): the relay's app endpoint (ws[s]://host/app).
   * The link then opens the app at the relay's origin, and `bases` are the hub's LAN addresses only.
   */
  relayUrl?: string;
}

const RELAY_APP_URL = /^wss?:\/\/[^/\s?#]+\/app$/;

/** The web origin a relay serves the app at, from its app endpoint (wss://r.example/app → https://r.example). */
export const relayOrigin = (relayUrl: string): string => relayUrl.replace(/^ws/, "http").replace(/\/app$/, "");

/**
 * The QR code's text: a link that opens the hub's app and pairs it. The secret is in the fragment,
 * which browsers never send to a server.
 */
export function pairingLink(o: PairingOffer): string {
  const f = new URLSearchParams({ v: "1", d: o.deviceId, k: toBase64Url(o.hubPublicKey), s: o.secret });
  if (o.relayUrl) {
    if (!RELAY_APP_URL.test(o.relayUrl)) throw new Error("a relay's app endpoint is ws(s)://host/app");
    f.set("r", o.relayUrl);
    if (o.bases.length) f.set("a", o.bases.join(" "));
    return `${relayOrigin(o.relayUrl)}/pair#${f.toString()}`;
  }
  const [first, ...rest] = o.bases;
  if (!first) throw new Error("a pairing link needs at least one hub address");
  if (rest.length) f.set("a", rest.join(" "));
  return `${first.replace(/\/$/, "")}/pair#${f.toString()}`;
}

/** Reads a pairing link (scanned or opened); null when the text is not one. */
export function parsePairingLink(text: string): PairingOffer | null {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    return null;
  }
  if ((u.protocol !== "http:" && u.protocol !== "https:") || u.pathname !== "/pair") return null;
  const f = new URLSearchParams(u.hash.slice(1));
  const key = fromBase64Url(f.get("k") ?? "");
  const deviceId = f.get("d") ?? "";
  const secret = f.get("s") ?? "";
  if (f.get("v") !== "1" || !key || key.length !== PUBLIC_KEY_BYTES || !ID_PATTERN.test(deviceId) || !/^[A-Za-z0-9_-]{22}$/.test(secret))
    return null;
  const more = (f.get("a") ?? "").split(" ").filter((b) => /^https?:\/\/[^/\s]+$/.test(b));
  const relayUrl = f.get("r");
  if (relayUrl !== null) {
    if (!RELAY_APP_URL.test(relayUrl) || relayOrigin(relayUrl) !== u.origin) return null;
    return { deviceId, hubPublicKey: key, secret, bases: more, relayUrl };
  }
  return { deviceId, hubPublicKey: key, secret, bases: [u.origin, ...more] };
}

export interface PairingTranscript {
  hubPublicKey: Uint8Array;
  appPublicKey: Uint8Array;
  hubNonce: Uint8Array;
  appNonce: Uint8Array;
  appName: string;
}

function transcriptBytes(role: "app" | "hub", t: PairingTranscript): Uint8Array {
  return concatBytes(utf8(`brewos-pair-v1 ${role}\n`), t.hubPublicKey, t.appPublicKey, t.hubNonce, t.appNonce, sha256(utf8(t.appName)));
}

export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  return hmac(sha256, key, message);
}

/** The proof one side sends: HMAC-SHA256 keyed with the secret (a typed code or the QR secret) over the transcript. */
export function pairingMac(secret: string, role: "app" | "hub", t: PairingTranscript): Uint8Array {
  return hmacSha256(utf8(secret), transcriptBytes(role, t));
}

/** What an app signs to open a /ws session, and to get a REST session token (different domains, so one never serves as the other). */
export function sessionProofMessage(kind: "ws" | "rest", deviceId: string, nonce: string): Uint8Array {
  return utf8(`brewos-${kind}-session-v1\n${deviceId}\n${nonce}`);
}
