/**
 * @module The app side of pairing and sign-in over HTTP, shared by the app and the hub's tests:
 * pair with a secret the person was shown, check the hub's own proof (a hub that does not know
 * the secret, or swapped its key, is refused), and trade a signed challenge for a session token.
 */
import { equalBytes, fromBase64Url, toBase64Url } from "./encoding.ts";
import { idForPublicKey, type KeyPair, sign } from "./keys.ts";
import { NONCE_BYTES, pairingMac, sessionProofMessage } from "./pairing.ts";

export interface PairedHub {
  deviceId: string;
  hubPublicKey: string;
  appId: string;
}

export class PairingError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 0,
  ) {
    super(message);
  }
}

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

async function post(fetcher: Fetch, url: string, body: object): Promise<Record<string, unknown>> {
  const res = await fetcher(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (!res.ok) {
    const e = (json?.error ?? {}) as { code?: string; message?: string };
    throw new PairingError(e.code ?? "http", e.message ?? `the hub answered ${res.status}`, res.status);
  }
  return json ?? {};
}

export interface PairOptions {
  base: string;
  keys: KeyPair;
  name: string;
  secret: string;
  via: "typed" | "qr";
  /** The hub key the QR code promised; a different key is refused. */
  expectHubKey?: Uint8Array;
  fetch?: Fetch;
}

export async function pairWithHub(o: PairOptions): Promise<PairedHub> {
  const f = o.fetch ?? fetch;
  const appKey = toBase64Url(o.keys.publicKey);
  const appNonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const begun = await post(f, `${o.base}/api/pairing/begin`, { app_public_key: appKey, app_nonce: toBase64Url(appNonce) });
  const hubKey = fromBase64Url(String(begun.hub_public_key));
  const hubNonce = fromBase64Url(String(begun.hub_nonce));
  if (hubKey?.length !== 32 || !hubNonce) throw new PairingError("bad_answer", "the hub's answer is not a pairing answer");
  if (o.expectHubKey && !equalBytes(o.expectHubKey, hubKey)) {
    throw new PairingError("wrong_hub", "the machine at this address is not the one whose QR code was scanned");
  }
  if (idForPublicKey(hubKey) !== begun.device_id) throw new PairingError("wrong_hub", "the hub's id does not match its key");
  const t = { hubPublicKey: hubKey, appPublicKey: o.keys.publicKey, hubNonce, appNonce, appName: o.name };
  const done = await post(f, `${o.base}/api/pairing/finish`, {
    app_public_key: appKey,
    app_nonce: toBase64Url(appNonce),
    hub_nonce: toBase64Url(hubNonce),
    name: o.name,
    via: o.via,
    mac: toBase64Url(pairingMac(o.secret, "app", t)),
  });
  const hubMac = fromBase64Url(String(done.hub_mac)) ?? new Uint8Array();
  if (!equalBytes(hubMac, pairingMac(o.secret, "hub", t))) {
    throw new PairingError("wrong_hub", "the hub could not prove it knows the code: this is not your machine");
  }
  return { deviceId: String(begun.device_id), hubPublicKey: String(begun.hub_public_key), appId: idForPublicKey(o.keys.publicKey) };
}

/** A REST session token for a paired app. */
export async function signIn(o: { base: string; keys: KeyPair; fetch?: Fetch }): Promise<{ token: string; expires_at_ms: number }> {
  const f = o.fetch ?? fetch;
  const res = await f(`${o.base}/api/auth/challenge`);
  if (!res.ok) throw new PairingError("http", `the hub answered ${res.status}`, res.status);
  const ch = (await res.json()) as { nonce: string; device_id: string };
  const signature = toBase64Url(sign(sessionProofMessage("rest", ch.device_id, ch.nonce), o.keys.secretKey));
  const out = await post(f, `${o.base}/api/auth/session`, { app_id: idForPublicKey(o.keys.publicKey), nonce: ch.nonce, signature });
  return { token: String(out.token), expires_at_ms: Number(out.expires_at_ms) };
}

/** The answer to a /ws `auth_challenge`. */
export function wsAuthAnswer(
  keys: KeyPair,
  challenge: { nonce: string; device_id: string },
): { type: "auth"; app_id: string; signature: string } {
  return {
    type: "auth",
    app_id: idForPublicKey(keys.publicKey),
    signature: toBase64Url(sign(sessionProofMessage("ws", challenge.device_id, challenge.nonce), keys.secretKey)),
  };
}
