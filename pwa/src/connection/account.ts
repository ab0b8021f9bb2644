/**
 * @module Signing in at the relay (docs/remote.md, "Accounts"), optional: the relay names an OpenID
 * Connect issuer (Google's, or the operator's); the app sends the person there for an ID token
 * (the ID-token flow: a fresh `state` and `nonce`, checked when the token comes back in the
 * address's fragment), keeps it beside this origin's other data, and shows it as a Bearer token to
 * the relay's /api/account. The token lists machines; it never opens one — keys come from pairing.
 */

export interface SignedIn {
  /** The relay's web origin (https://relay.example). */
  relay: string;
  idToken: string;
  iss: string;
  sub: string;
  email: string | null;
  expMs: number;
}

export interface AccountDevice {
  hub_id: string;
  name: string;
  claimed_at_ms: number;
  online: boolean;
}

const KEY = "brewos.account";
const PENDING = "brewos.account.pending";

/** The relay's web origin from any of its endpoints (wss://r.example/hub → https://r.example). */
export const relayWebOrigin = (url: string): string => new URL(url.replace(/^ws/, "http")).origin;

function claims(idToken: string): Record<string, unknown> | null {
  try {
    const part = idToken.split(".")[1] ?? "";
    return JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/"))) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export function signedIn(now = Date.now()): SignedIn | null {
  try {
    const s = JSON.parse(localStorage.getItem(KEY) ?? "null") as SignedIn | null;
    return s && s.expMs > now ? s : null;
  } catch {
    return null;
  }
}

export function signOut(): void {
  localStorage.removeItem(KEY);
}

const random = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

/** Off to the relay's issuer; it comes back to `returnTo` (this origin) with the token. */
export async function beginSignIn(relay: string, returnTo = `${location.origin}/settings`): Promise<void> {
  const r = await fetch(`${relay}/api/account/sign-in`);
  if (!r.ok) throw new Error(r.status === 404 ? "this relay offers no sign-in" : `the relay answered ${r.status}`);
  const cfg = (await r.json()) as { issuer: string; client_id: string; authorization_url: string };
  const pending = { relay, state: random(), nonce: random(), issuer: cfg.issuer };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const q = new URLSearchParams({
    client_id: cfg.client_id,
    response_type: "id_token",
    scope: "openid email",
    redirect_uri: returnTo,
    state: pending.state,
    nonce: pending.nonce,
  });
  location.assign(`${cfg.authorization_url}?${q}`);
}

/** Back from the issuer: the token in the address, checked against what was asked; null if this is no such return. */
export function finishSignIn(hash = location.hash): SignedIn | null {
  const f = new URLSearchParams(hash.replace(/^#/, ""));
  const token = f.get("id_token");
  if (!token) return null;
  history.replaceState(null, "", location.pathname); // the token leaves the address bar
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? "null") as {
    relay: string;
    state: string;
    nonce: string;
    issuer: string;
  } | null;
  sessionStorage.removeItem(PENDING);
  const c = claims(token);
  if (!pending || f.get("state") !== pending.state) throw new Error("this sign-in was not started here; try again");
  if (!c || c.nonce !== pending.nonce) throw new Error("the sign-in answer does not match the request; try again");
  return keep(pending.relay, token, { iss: pending.issuer, ...c });
}

function keep(relay: string, idToken: string, c: Record<string, unknown>): SignedIn {
  const s: SignedIn = {
    relay,
    idToken,
    iss: String(c.iss ?? ""),
    sub: String(c.sub ?? ""),
    email: typeof c.email === "string" ? c.email : null,
    expMs: Number(c.exp ?? 0) * 1000,
  };
  localStorage.setItem(KEY, JSON.stringify(s));
  return s;
}

/** The message the relay's sign-in page (features/settings/SignInBridge.tsx) sends this page. */
export const SIGN_IN_MESSAGE = "brewos-id-token";

/**
 * Sign in from a machine's own address: the relay's sign-in page opens in a window (the issuer
 * returns only to the relay's registered address), signs in there and hands this page the token;
 * only a message from the relay's origin is heard.
 */
export function signInThroughRelay(relay: string, timeoutMs = 5 * 60_000): Promise<SignedIn> {
  return new Promise((resolve, reject) => {
    const w = window.open(`${relay}/sign-in?for=${encodeURIComponent(location.origin)}`, "brewos-sign-in", "popup,width=480,height=680");
    if (!w) return reject(new Error("the sign-in window was blocked: allow pop-ups for this page"));
    const heard = (e: MessageEvent) => {
      const d = e.data as { type?: unknown; id_token?: unknown } | null;
      if (e.origin !== relay || d?.type !== SIGN_IN_MESSAGE || typeof d.id_token !== "string") return;
      window.removeEventListener("message", heard);
      clearTimeout(timer);
      const c = claims(d.id_token);
      if (!c) return reject(new Error("the relay's sign-in page sent no ID token"));
      resolve(keep(relay, d.id_token, c));
    };
    const timer = setTimeout(() => {
      window.removeEventListener("message", heard);
      reject(new Error("the sign-in was not finished in time"));
    }, timeoutMs);
    window.addEventListener("message", heard);
  });
}

async function accountFetch<T>(s: SignedIn, path: string, init?: RequestInit): Promise<T> {
  const r = await fetch(`${s.relay}/api/account${path}`, {
    ...init,
    headers: { authorization: `Bearer ${s.idToken}`, ...(init?.body ? { "content-type": "application/json" } : {}) },
  });
  const body = (await r.json().catch(() => ({}))) as T & { error?: { message?: string } };
  if (r.status === 401) signOut();
  if (!r.ok) throw new Error(body.error?.message ?? `the relay answered ${r.status}`);
  return body;
}

export const accountDevices = (s: SignedIn) => accountFetch<{ devices: AccountDevice[] }>(s, "/devices").then((r) => r.devices);

/** Lists a machine under this account with the claim the machine signed for it. */
export const claimDevice = (s: SignedIn, claim: string) =>
  accountFetch<{ ok: true; hub_id: string }>(s, "/claims", { method: "POST", body: JSON.stringify({ claim }) });

export const unclaimDevice = (s: SignedIn, hubId: string) => accountFetch<{ ok: true }>(s, `/devices/${hubId}`, { method: "DELETE" });
