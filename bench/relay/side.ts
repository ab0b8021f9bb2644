/**
 * One side of the scale-out bench, in a process of its own (this machine allows 20 000 open files
 * per process): `hubs URL N` or `apps URL N`. It talks to scale-out.ts in JSON lines — stdout out,
 * stdin in — and streams 300 B frames at 2 Hz per pair, stamped with the shared wall clock so the
 * other process can time them.
 *   hubs: → {hubs: ids, connect_s}; ← {app_ids}; → {tickets}; → {sessions}; ← {stream_ms}; → {done}
 *   apps: → {app_ids}; ← {tickets}; → {joined}; ← {stream_ms}; → {done}
 */
import { SESSION_PREFIX_BYTES, withSession } from "../../protocol/relay/src/relay-wire.ts";
import {
  age,
  at2Hz,
  connectHub,
  FRAME_BYTES,
  inBatches,
  joinApp,
  jsonLines,
  type NativeKey,
  nativeKey,
  type Pair,
  pct,
  round2,
  stamp,
  ticketFor,
} from "./load.ts";

const [role, url, count] = process.argv.slice(2);
const n = Number(count);
const say = (m: object) => process.stdout.write(`${JSON.stringify(m)}\n`);

const next = jsonLines(Bun.stdin.stream(), "the bench");

const latencies: number[] = [];
let received = 0;
const heard = (data: ArrayBuffer | string, session: boolean) => {
  if (typeof data === "string") return;
  latencies.push(age(new Uint8Array(data), session ? SESSION_PREFIX_BYTES : 0));
  received++;
};

async function stream(send: (i: number) => void): Promise<void> {
  const { stream_ms } = (await next()) as { stream_ms: number };
  const cpu = process.cpuUsage();
  const sent = await at2Hz(n, stream_ms, send);
  const used = process.cpuUsage(cpu);
  await Bun.sleep(500);
  say({
    done: true,
    sent,
    received,
    p50_ms: round2(pct(latencies, 50)),
    p99_ms: round2(pct(latencies, 99)),
    samples: latencies.length,
    cpu_pct: Math.round(((used.user + used.system) / 1000 / stream_ms) * 1000) / 10,
  });
}

if (role === "hubs") {
  const t0 = performance.now();
  const pairs: Pair[] = await inBatches(n, 500, () => connectHub(url as string));
  say({ hubs: pairs.map((p) => p.id), connect_s: round2((performance.now() - t0) / 1000) });
  const { app_ids } = (await next()) as { app_ids: string[] };
  say({ tickets: await Promise.all(pairs.map((p, i) => ticketFor(p.key, app_ids[i] as string))) });
  const deadline = Date.now() + 60_000;
  while (pairs.some((p) => p.session < 0) && Date.now() < deadline) await Bun.sleep(20);
  say({ sessions: pairs.filter((p) => p.session >= 0).length });
  for (const p of pairs) p.hub.onmessage = (e) => heard(e.data as ArrayBuffer | string, true);
  // One frame per pair, made once and stamped again at each send.
  const downs = pairs.map((p) => withSession(p.session, new Uint8Array(FRAME_BYTES)));
  await stream((i) => {
    const down = downs[i] as Uint8Array;
    stamp(down, SESSION_PREFIX_BYTES);
    (pairs[i] as Pair).hub.send(down);
  });
} else if (role === "apps") {
  const keys = await Promise.all(Array.from({ length: n }, () => nativeKey()));
  say({ app_ids: keys.map((k) => k.id) });
  const { tickets } = (await next()) as { tickets: string[] };
  const apps = await inBatches(n, 500, (i) => joinApp(url as string, keys[i] as NativeKey, tickets[i] as string));
  say({ joined: apps.length });
  for (const a of apps) a.onmessage = (e) => heard(e.data as ArrayBuffer | string, false);
  const ups = apps.map(() => new Uint8Array(FRAME_BYTES));
  await stream((i) => {
    const up = ups[i] as Uint8Array;
    stamp(up);
    (apps[i] as WebSocket).send(up);
  });
} else {
  console.error("usage: side.ts hubs|apps URL N");
  process.exit(2);
}
process.exit(0);
