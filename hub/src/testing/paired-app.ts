/**
 * Test helper: an app paired with a test hub the way the real app pairs (typed code, HMAC
 * exchange, signed challenges), with fetch and WebSocket helpers that carry its proof.
 */
import { idForPublicKey, type KeyPair, keyPair, pairWithHub, signIn, wsAuthAnswer } from "@brewos/protocol/auth";
import type { Hub } from "../hub.ts";

export interface PairedTestApp {
  keys: KeyPair;
  appId: string;
  token: string;
  /** fetch(base + path) with the session token. */
  call(path: string, init?: RequestInit): Promise<Response>;
}

export async function pairTestApp(h: { hub: Hub; base: string }, name = "Test phone"): Promise<PairedTestApp> {
  const keys = keyPair();
  await pairWithHub({ base: h.base, keys, name, secret: h.hub.auth.pairing.open().typed, via: "typed" });
  const { token } = await signIn({ base: h.base, keys });
  return {
    keys,
    appId: idForPublicKey(keys.publicKey),
    token,
    call: (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${token}`);
      if (init.body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
      return fetch(`${h.base}${path}`, { ...init, headers });
    },
  };
}

/** A /ws socket and every message it received, in order. */
export interface TestSocket {
  ws: WebSocket;
  messages: Record<string, unknown>[];
  closed: Promise<{ code: number; reason: string }>;
  next(type: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

export function openSocket(base: string, keys?: KeyPair): TestSocket {
  const ws = new WebSocket(`${base.replace(/^http/, "ws")}/ws`);
  const messages: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  ws.addEventListener("message", (e) => {
    const m = JSON.parse(String(e.data)) as Record<string, unknown>;
    messages.push(m);
    if (keys && m.type === "auth_challenge") ws.send(JSON.stringify(wsAuthAnswer(keys, m as { nonce: string; device_id: string })));
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((r) =>
    ws.addEventListener("close", (e) => r({ code: e.code, reason: e.reason })),
  );
  const next = async (type: string, timeoutMs = 5000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const m = messages.find((x) => x.type === type);
      if (m) return m;
      if (Date.now() > end) throw new Error(`no ${type} message within ${timeoutMs} ms (got ${messages.map((x) => x.type).join(", ")})`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 100);
      });
    }
  };
  return { ws, messages, closed, next };
}
