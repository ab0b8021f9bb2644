/**
 * Test helpers for the relay: a socket that keeps what it hears and how it closed, a hub that
 * proves its key, an app that joins with a ticket and proof of its key, frames both ways between them.
 */

import { expect } from "bun:test";
import { keyPair, signerFor } from "@brewos/protocol/auth";
import { appHello, HELLO_TIMEOUT_MS, hubProof, splitSession, withSession } from "@brewos/protocol/relay";

/** A socket that keeps what it hears and how it closed. */
export class Peer {
  readonly text: Record<string, unknown>[] = [];
  readonly binary: Uint8Array[] = [];
  closed: { code: number; reason: string } | null = null;
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.binaryType = "arraybuffer";
    this.opened = new Promise((r) => this.ws.addEventListener("open", () => r()));
    this.ws.addEventListener("message", (e) => {
      if (typeof e.data === "string") this.text.push(JSON.parse(e.data) as Record<string, unknown>);
      else this.binary.push(new Uint8Array(e.data as ArrayBuffer));
    });
    this.ws.addEventListener("close", (e) => {
      this.closed = { code: e.code, reason: e.reason };
    });
  }
  send(m: unknown): void {
    this.ws.send(typeof m === "string" || m instanceof Uint8Array ? m : JSON.stringify(m));
  }
  async until<T>(what: string, pick: () => T | undefined | null | false, ms = 5000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = pick();
      if (v) return v;
      if (Date.now() > end)
        throw new Error(`${what}: not within ${ms} ms (heard ${JSON.stringify(this.text)}, closed ${JSON.stringify(this.closed)})`);
      await Bun.sleep(5);
    }
  }
  message(type: string) {
    return this.until(type, () => this.text.find((m) => m.type === type));
  }
  /** How it closed; waits past the relay's hello deadline (a silent peer is closed at it, not before). */
  closedWith() {
    return this.until("close", () => this.closed, HELLO_TIMEOUT_MS + 3000);
  }
}

/** A hub at the relay `base` (ws://host:port), its key proved. */
export async function connectHub(base: string, keys = keyPair()) {
  const hub = new Peer(`${base}/hub`);
  const challenge = await hub.message("challenge");
  hub.send(hubProof(String(challenge.nonce), signerFor(keys)));
  const ready = await hub.message("ready");
  return { hub, keys, id: String(ready.hub_id) };
}

/** An app at the relay `base`: the ticket its hub signed, and proof it holds the key the ticket names. */
export async function joinApp(base: string, ticket: string, keys: ReturnType<typeof keyPair>) {
  const app = new Peer(`${base}/app`);
  const challenge = await app.message("challenge");
  app.send(appHello(ticket, String(challenge.nonce), signerFor(keys)));
  return app;
}

/**
 * A hub and its joined app exchange random bytes (pretend-ciphertext) both ways; each side gets
 * exactly what the other sent, the hub with the session in front. Returns the session id.
 */
export async function expectFramesBothWays(hub: Peer, app: Peer): Promise<number> {
  const open = await hub.message("session_open");
  const session = Number(open.session);
  const up = crypto.getRandomValues(new Uint8Array(300));
  app.send(up);
  expect(splitSession(await hub.until("the app's frame at the hub", () => hub.binary[0]))).toEqual({ session, payload: up });
  const down = crypto.getRandomValues(new Uint8Array(300));
  hub.send(withSession(session, down));
  expect(await app.until("the hub's frame at the app", () => app.binary[0])).toEqual(down);
  return session;
}
