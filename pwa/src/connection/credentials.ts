/**
 * @module This app's key for each machine it paired with (localStorage, on the hub's own origin),
 * and the REST session token it signs for. The key never leaves this browser; the hub keeps only
 * its public half. A machine that forgot this app (revoked) makes the app forget its key.
 */
import { fromHex, type KeyPair, keyPair, signIn, toHex } from "@brewos/protocol/auth";

export interface Credentials {
  keys: KeyPair;
  appId: string;
  deviceId: string;
  hubPublicKey: string;
}

const key = (hubUrl: string) => `brewos.pairing.${hubUrl}`;

export function credentialsFor(hubUrl: string): Credentials | null {
  try {
    const v = JSON.parse(localStorage.getItem(key(hubUrl)) ?? "null") as {
      secret_key: string;
      app_id: string;
      device_id: string;
      hub_public_key: string;
    } | null;
    if (!v || !/^[0-9a-f]{64}$/.test(v.secret_key)) return null;
    return { keys: keyPair(fromHex(v.secret_key)), appId: v.app_id, deviceId: v.device_id, hubPublicKey: v.hub_public_key };
  } catch {
    return null;
  }
}

export function saveCredentials(hubUrl: string, c: Credentials): void {
  localStorage.setItem(
    key(hubUrl),
    JSON.stringify({ secret_key: toHex(c.keys.secretKey), app_id: c.appId, device_id: c.deviceId, hub_public_key: c.hubPublicKey }),
  );
  tokens.delete(hubUrl);
}

export function forgetCredentials(hubUrl: string): void {
  localStorage.removeItem(key(hubUrl));
  tokens.delete(hubUrl);
}

const tokens = new Map<string, Promise<{ token: string; expires_at_ms: number }>>();

/** A session token for this machine (signed for once, renewed a minute before it ends); null when not paired. */
export async function sessionToken(hubUrl: string, renew = false): Promise<string | null> {
  const c = credentialsFor(hubUrl);
  if (!c) return null;
  let t = renew ? undefined : tokens.get(hubUrl);
  if (t) {
    const v = await t.catch(() => null);
    if (!v || v.expires_at_ms - Date.now() < 60_000) t = undefined;
  }
  if (!t) {
    t = signIn({ base: hubUrl, keys: c.keys });
    tokens.set(hubUrl, t);
    t.catch(() => tokens.delete(hubUrl));
  }
  return (await t).token;
}
