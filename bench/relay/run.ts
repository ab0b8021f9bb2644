/**
 * `npm run bench:relay`: the relay as its own process on 127.0.0.1, and this process as the load:
 * N hubs dial in and prove their keys (the connect storm, timed), N apps join with tickets, then
 * every pair streams status at 2 Hz × 300 B each way for DURATION_S. Latency is from a frame's send
 * to its arrival on the other side (both ends in this process, one clock), so it includes the load
 * generator's own scheduling. Memory per pair is the relay's RSS growth over idle ÷ N; CPU is the
 * relay's user+system time over the streaming window. Prints JSON, one object per N.
 * Then a connect storm alone: STORM hubs (10 000) dialling at once, timed until all are ready.
 * Env: PAIRS ("1000,9000"), STORM (10000), DURATION_S (20). This machine allows 20 000 open files
 * per process (hard limit) and the relay holds two sockets per pair, so 9 000 pairs is the most
 * that fits here; 10 000 hubs fit for the storm.
 * BrewOS's relay on this machine class (issue 17): 1 000 pairs p99 1.5–2.0 ms, 135 MB RSS, 10 % CPU;
 * 3 000 pairs p99 23–26 ms, ~180 MB; 6 000 pairs p99 72 ms, 586 MB; 6 000 connects took 56 s.
 * Goal: 10 000 pairs p99 ≤ 5 ms with ≤ 5 KB per pair, 10 000 connects in ≤ 5 s.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { idForPublicKey, toBase64Url } from "../../protocol/auth/src/index.ts";
import {
  appProofMessage,
  hubProofMessage,
  RELAY_VERSION,
  splitSession,
  ticketBody,
  ticketMessage,
  withSession,
} from "../../protocol/relay/src/relay-wire.ts";

const root = join(import.meta.dir, "..", "..");
const PAIRS = (process.env.PAIRS ?? "1000,9000").split(",").map(Number);
const STORM = Number(process.env.STORM ?? 10000);
const DURATION_S = Number(process.env.DURATION_S ?? 20);
const FRAME_BYTES = 300;
const port = 22000 + Math.floor(Math.random() * 20000);
const data = mkdtempSync(join(tmpdir(), "brewos-bench-relay-"));
const relay = Bun.spawn([process.execPath, join(root, "relay", "src", "main.ts"), "--port", String(port), "--data", data], {
  stdout: "pipe",
  stderr: "inherit",
});
const url = `ws://127.0.0.1:${port}`;

function procStat(pid: number): { cpu_s: number; rss_kb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  const ticks = 100;
  const cpu_s = (Number(stat[11]) + Number(stat[12])) / ticks;
  const rss_kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  return { cpu_s, rss_kb };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

/** A hub's key in the platform's native Ed25519, so the load process does not bound the storm. */
interface NativeKey {
  publicKey: Uint8Array;
  id: string;
  sign(m: Uint8Array): Promise<Uint8Array>;
}

async function nativeKey(): Promise<NativeKey> {
  const kp = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const publicKey = new Uint8Array(await crypto.subtle.exportKey("raw", kp.publicKey));
  return {
    publicKey,
    id: idForPublicKey(publicKey),
    sign: async (m) => new Uint8Array(await crypto.subtle.sign("Ed25519", kp.privateKey, Uint8Array.from(m))),
  };
}

interface Pair {
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

async function connectHub(): Promise<Pair> {
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

async function joinApp(pair: Pair): Promise<void> {
  const appKey = await nativeKey();
  const body = ticketBody({ hub: pair.id, app: appKey.id, exp: Date.now() + 600_000 });
  const ticket = `${body}.${toBase64Url(await pair.key.sign(ticketMessage(body)))}`;
  return new Promise((resolve, reject) => {
    const app = new WebSocket(`${url}/app`);
    app.binaryType = "arraybuffer";
    app.onmessage = async (e) => {
      if (typeof e.data !== "string") return;
      const m = JSON.parse(e.data);
      if (m.type === "challenge") app.send(await proveKey(appKey, "app_hello", appProofMessage(m.nonce), { ticket }));
      if (m.type === "joined") {
        pair.app = app;
        resolve();
      }
    };
    app.onerror = () => reject(new Error("app socket failed"));
  });
}

/** Run `make` for n items, at most `width` at a time. */
async function inBatches<T>(n: number, width: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += width)
    out.push(...(await Promise.all(Array.from({ length: Math.min(width, n - i) }, (_, k) => make(i + k)))));
  return out;
}

async function run(n: number) {
  const idle = procStat(relay.pid);
  const t0 = performance.now();
  const pairs = await inBatches(n, 500, () => connectHub());
  const connect_s = (performance.now() - t0) / 1000;
  await inBatches(n, 500, (i) => joinApp(pairs[i] as Pair));
  const deadline = Date.now() + 10_000;
  while (pairs.some((p) => p.session < 0) && Date.now() < deadline) await Bun.sleep(10);
  const latencies: number[] = [];
  let received = 0;
  const stamp = (buf: Uint8Array) => new DataView(buf.buffer, buf.byteOffset).setFloat64(0, performance.now());
  const age = (buf: Uint8Array) => performance.now() - new DataView(buf.buffer, buf.byteOffset).getFloat64(0);
  for (const p of pairs) {
    p.hub.onmessage = (e) => {
      if (typeof e.data === "string") return;
      const s = splitSession(new Uint8Array(e.data as ArrayBuffer));
      if (s) latencies.push(age(s.payload));
      received++;
    };
    if (p.app)
      p.app.onmessage = (e) => {
        if (typeof e.data === "string") return;
        latencies.push(age(new Uint8Array(e.data as ArrayBuffer)));
        received++;
      };
  }
  await Bun.sleep(500);
  const loaded = procStat(relay.pid);
  // 2 Hz each way, spread over the half second in 10 ms slots.
  const slots = 50;
  let slot = 0;
  let sent = 0;
  const timer = setInterval(() => {
    for (let i = slot; i < pairs.length; i += slots) {
      const p = pairs[i] as Pair;
      const up = new Uint8Array(FRAME_BYTES);
      stamp(up);
      p.app?.send(up);
      const down = new Uint8Array(FRAME_BYTES);
      stamp(down);
      p.hub.send(withSession(p.session, down));
      sent += 2;
    }
    slot = (slot + 1) % slots;
  }, 10);
  await Bun.sleep(DURATION_S * 1000);
  clearInterval(timer);
  await Bun.sleep(500);
  const after = procStat(relay.pid);
  for (const p of pairs) {
    p.app?.close();
    p.hub.close();
  }
  await Bun.sleep(1000);
  return {
    pairs: n,
    connect_hubs_s: Math.round(connect_s * 100) / 100,
    frames_sent: sent,
    frames_received: received,
    latency_ms: { p50: Math.round(pct(latencies, 50) * 100) / 100, p99: Math.round(pct(latencies, 99) * 100) / 100 },
    relay_rss_mb: Math.round(after.rss_kb / 102.4) / 10,
    relay_kb_per_pair: Math.round(((loaded.rss_kb - idle.rss_kb) / n) * 100) / 100,
    relay_cpu_pct: Math.round(((after.cpu_s - loaded.cpu_s) / DURATION_S) * 1000) / 10,
    frame_bytes: FRAME_BYTES,
    rate_hz_each_way: 2,
    duration_s: DURATION_S,
  };
}

try {
  await new Promise<void>((resolve) => {
    const r = relay.stdout.getReader();
    void r.read().then(() => resolve());
  });
  const results = [];
  for (const n of PAIRS) results.push(await run(n));
  // Last, so the memory it leaves behind does not count against the pairs.
  const t0 = performance.now();
  const storm = await inBatches(STORM, 1000, () => connectHub());
  const connect_storm = { hubs: STORM, all_ready_s: Math.round(((performance.now() - t0) / 1000) * 100) / 100 };
  for (const p of storm) p.hub.close();
  console.log(
    JSON.stringify(
      {
        bench: "relay",
        machine: "2 cores, loopback, load generator in one Bun process",
        connect_storm,
        results,
        brewos_relay_same_machine_class: [
          { pairs: 1000, p99_ms: "1.5-2.0", rss_mb: 135, cpu_pct: 10 },
          { pairs: 3000, p99_ms: "23-26", rss_mb: 180 },
          { pairs: 6000, p99_ms: 72, rss_mb: 586, connect_s: 56 },
        ],
        goal: { pairs: 10000, p99_ms_max: 5, kb_per_pair_max: 5, connect_10000_s_max: 5 },
      },
      null,
      2,
    ),
  );
} finally {
  relay.kill();
  await relay.exited;
  rmSync(data, { recursive: true, force: true });
}
