/**
 * @module The relay bench's load: hubs that dial in and prove their keys, apps that join with a
 * ticket their hub signed, frames stamped with the time they were sent. Shared by `run.ts` (one
 * process, one relay) and `scale-out.ts` (hubs and apps in processes of their own, on two relays).
 */
import { readFileSync } from "node:fs";
import { lineSplitter } from "../../hub/src/display/line-splitter.ts";
import { idForPublicKey, toBase64Url } from "../../protocol/auth/src/index.ts";
import { appProofMessage, hubProofMessage, RELAY_VERSION, ticketBody, ticketMessage } from "../../protocol/relay/src/relay-wire.ts";

export const FRAME_BYTES = 300;

/** A process's CPU seconds (user + system) and resident memory. */
export function procStat(pid: number): { cpu_s: number; rss_kb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  const ticks = 100;
  const cpu_s = (Number(stat[11]) + Number(stat[12])) / ticks;
  const rss_kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  return { cpu_s, rss_kb };
}

export const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

export const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Wall-clock ms with sub-ms precision: comparable between processes on one machine. */
const nowMs = () => performance.timeOrigin + performance.now();
const clock = new Float64Array(1);
const clockBytes = new Uint8Array(clock.buffer);
/** The send time into a frame at byte `at` (no allocation per frame: the load's own GC stays out of the figures). */
export const stamp = (buf: Uint8Array, at = 0): void => {
  clock[0] = nowMs();
  buf.set(clockBytes, at);
};
/** How long ago the frame was stamped. */
export const age = (buf: Uint8Array, at = 0): number => {
  for (let k = 0; k < 8; k++) clockBytes[k] = buf[at + k] as number;
  return nowMs() - (clock[0] as number);
};

/** A key in the platform's native Ed25519, so the load process does not bound the storm. */
export interface NativeKey {
  publicKey: Uint8Array;
  id: string;
  sign(m: Uint8Array): Promise<Uint8Array>;
}

export async function nativeKey(): Promise<NativeKey> {
  const kp = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const publicKey = new Uint8Array(await crypto.subtle.exportKey("raw", kp.publicKey));
  return {
    publicKey,
    id: idForPublicKey(publicKey),
    sign: async (m) => new Uint8Array(await crypto.subtle.sign("Ed25519", kp.privateKey, Uint8Array.from(m))),
  };
}

export interface Pair {
  hub: WebSocket;
  app: WebSocket | null;
  session: number;
  key: NativeKey;
  id: string;
}

/** A hello answering the relay's challenge: this key, and its signature over `message`. */
async function proveKey(key: NativeKey, type: "hub_hello" | "app_hello", message: Uint8Array, extra: object = {}): Promise<string> {
  return JSON.stringify({
    type,
    v: RELAY_VERSION,
    ...extra,
    public_key: toBase64Url(key.publicKey),
    signature: toBase64Url(await key.sign(message)),
  });
}

/** A hub on the relay at `url`, ready (its key proven); `session` is set when an app joins. */
export async function connectHub(url: string): Promise<Pair> {
  const key = await nativeKey();
  const id = key.id;
  return new Promise((resolve, reject) => {
    const hub = new WebSocket(`${url}/hub`);
    hub.binaryType = "arraybuffer";
    const pair: Pair = { hub, app: null, session: -1, key, id };
    hub.onmessage = async (e) => {
      if (typeof e.data !== "string") return;
      const m = JSON.parse(e.data);
      if (m.type === "challenge") hub.send(await proveKey(key, "hub_hello", hubProofMessage(m.nonce)));
      if (m.type === "ready") resolve(pair);
      if (m.type === "session_open") pair.session = m.session;
    };
    hub.onerror = () => reject(new Error("hub socket failed"));
  });
}

/** The ticket a hub signs for one of its apps (ten minutes). */
export async function ticketFor(hub: NativeKey, appId: string): Promise<string> {
  const body = ticketBody({ hub: hub.id, app: appId, exp: Date.now() + 600_000 });
  return `${body}.${toBase64Url(await hub.sign(ticketMessage(body)))}`;
}

/** An app joined to its hub through the relay at `url`. */
export function joinApp(url: string, appKey: NativeKey, ticket: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const app = new WebSocket(`${url}/app`);
    app.binaryType = "arraybuffer";
    app.onmessage = async (e) => {
      if (typeof e.data !== "string") return;
      const m = JSON.parse(e.data);
      if (m.type === "challenge") app.send(await proveKey(appKey, "app_hello", appProofMessage(m.nonce), { ticket }));
      if (m.type === "joined") resolve(app);
    };
    app.onerror = () => reject(new Error("app socket failed"));
  });
}

/** Run `make` for n items, at most `width` at a time. */
export async function inBatches<T>(n: number, width: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += width)
    out.push(...(await Promise.all(Array.from({ length: Math.min(width, n - i) }, (_, k) => make(i + k)))));
  return out;
}

/**
 * Every `count` senders once per 500 ms (2 Hz), each at its own phase in the period (sender i at
 * i/count of it), as independent machines would be; a late timer catches up, so the rate holds.
 * Stops after `ms`; gives how many were sent.
 */
export async function at2Hz(count: number, ms: number, send: (i: number) => void): Promise<number> {
  const periodMs = 500;
  const start = performance.now();
  let sent = 0;
  const timer = setInterval(() => {
    const due = Math.floor((Math.min(performance.now() - start, ms) / periodMs) * count);
    for (; sent < due; sent++) send(sent % count);
  }, 1);
  await Bun.sleep(ms);
  clearInterval(timer);
  return sent;
}

/** The JSON messages on a stream, one per line: each call gives the next (throws once the stream ends). */
export function jsonLines(stream: ReadableStream<Uint8Array>, what: string): () => Promise<Record<string, unknown>> {
  const reader = stream.getReader();
  const queue: Record<string, unknown>[] = [];
  const push = lineSplitter((line) => queue.push(JSON.parse(line) as Record<string, unknown>));
  return async () => {
    while (queue.length === 0) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`${what}: the stream ended`);
      push(value);
    }
    return queue.shift() as Record<string, unknown>;
  };
}
