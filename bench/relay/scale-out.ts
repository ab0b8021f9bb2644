/**
 * `npm run bench:relay-scale-out`: 10 000 pairs on two relay instances sharing routing through a
 * real redis-server — every hub on instance A, every app on instance B, so each frame crosses Redis —
 * with the load in two processes of their own (hubs, apps; bench/relay/side.ts). This is how the
 * relay carries more pairs than one process may hold sockets for here (20 000 open files per
 * process; a pair is two sockets). Same load as run.ts: 2 Hz × 300 B each way for DURATION_S.
 * Latency is send → arrival across the two load processes (one wall clock), so it includes both
 * load generators, both relays and Redis, on 2 cores. Prints JSON.
 * Env: PAIRS (10000), DURATION_S (20), INSTANCES (2; 1: hubs and apps on one relay, no Redis — at
 * most 9 990 pairs fit its 20 000 files).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRedis } from "../../relay/src/testing/redis-server.ts";
import { jsonLines, procStat, round2 } from "./load.ts";

const root = join(import.meta.dir, "..", "..");
const N = Number(process.env.PAIRS ?? 10000);
const DURATION_S = Number(process.env.DURATION_S ?? 20);
const INSTANCES = Number(process.env.INSTANCES ?? 2) === 1 ? 1 : 2;
const redis = INSTANCES === 2 ? await startRedis() : null;
const work = mkdtempSync(join(tmpdir(), "brewos-bench-scale-out-"));
const base = 22000 + Math.floor(Math.random() * 20000);

function relayInstance(i: number) {
  const proc = Bun.spawn(
    [
      process.execPath,
      join(root, "relay", "src", "main.ts"),
      "--port",
      String(base + i),
      "--data",
      join(work, `r${i}`),
      ...(redis ? ["--redis", redis.url] : []),
    ],
    { stdout: "pipe", stderr: "inherit" },
  );
  return { proc, url: `ws://127.0.0.1:${base + i}`, up: proc.stdout.getReader().read() };
}

/** A load process and its JSON lines. */
function side(role: "hubs" | "apps", url: string) {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "side.ts"), role, url, String(N)], {
    stdin: "pipe",
    stdout: "pipe",
    stderr: "inherit",
  });
  const read = jsonLines(proc.stdout, role);
  const tell = (m: object) => {
    proc.stdin.write(`${JSON.stringify(m)}\n`);
    proc.stdin.flush();
  };
  return { proc, read, tell };
}

const relays = Array.from({ length: INSTANCES }, (_, i) => relayInstance(i));
const a = relays[0] as ReturnType<typeof relayInstance>;
const b = relays.at(-1) as ReturnType<typeof relayInstance>;
const stats = () => relays.map((r) => procStat(r.proc.pid));
const redisCpuS = () => (redis ? procStat(redis.pid).cpu_s : 0);
try {
  await Promise.all(relays.map((r) => r.up));
  const idle = stats();
  const hubs = side("hubs", a.url);
  const apps = side("apps", b.url);
  const connected = (await hubs.read()) as { hubs: string[]; connect_s: number };
  const appIds = (await apps.read()) as { app_ids: string[] };
  hubs.tell(appIds);
  apps.tell(await hubs.read()); // the tickets
  const joined = (await apps.read()) as { joined: number };
  const sessions = (await hubs.read()) as { sessions: number };
  await Bun.sleep(1000);
  const loaded = stats();
  const redisBefore = redisCpuS();
  hubs.tell({ stream_ms: DURATION_S * 1000 });
  apps.tell({ stream_ms: DURATION_S * 1000 });
  const [down, up] = (await Promise.all([apps.read(), hubs.read()])) as unknown as {
    sent: number;
    received: number;
    p50_ms: number;
    p99_ms: number;
    cpu_pct: number;
  }[];
  const after = stats();
  const redisCpuPct = Math.round(((redisCpuS() - redisBefore) / DURATION_S) * 1000) / 10;
  const rss = (i: number) => (loaded[i] as { rss_kb: number }).rss_kb - (idle[i] as { rss_kb: number }).rss_kb;
  const cpu = (i: number) => ((after[i] as { cpu_s: number }).cpu_s - (loaded[i] as { cpu_s: number }).cpu_s) / DURATION_S;
  console.log(
    JSON.stringify(
      {
        bench: "relay scale-out",
        machine: `2 cores, loopback; ${INSTANCES === 2 ? "two relay instances + redis-server" : "one relay instance"} + two load processes`,
        instances: INSTANCES,
        pairs: N,
        hubs_connected: connected.hubs.length,
        connect_hubs_s: connected.connect_s,
        apps_joined: joined.joined,
        sessions_open: sessions.sessions,
        hub_to_app: { sent: up?.sent, received: down?.received, p50_ms: down?.p50_ms, p99_ms: down?.p99_ms },
        app_to_hub: { sent: down?.sent, received: up?.received, p50_ms: up?.p50_ms, p99_ms: up?.p99_ms },
        relays_rss_mb: round2(after.reduce((sum, x) => sum + x.rss_kb, 0) / 1024),
        relays_kb_per_pair: round2(relays.reduce((sum, _r, i) => sum + rss(i), 0) / N),
        relay_cpu_pct: relays.map((_r, i) => Math.round(cpu(i) * 1000) / 10),
        ...(redis ? { redis_cpu_pct: redisCpuPct } : {}),
        load_cpu_pct: { hubs: up?.cpu_pct, apps: down?.cpu_pct },
        frame_bytes: 300,
        rate_hz_each_way: 2,
        duration_s: DURATION_S,
        goal: { pairs: 10000, p99_ms_max: 5, kb_per_pair_max: 5 },
      },
      null,
      2,
    ),
  );
  hubs.proc.kill();
  apps.proc.kill();
} finally {
  for (const r of relays) r.proc.kill();
  await Promise.all(relays.map((r) => r.proc.exited));
  await redis?.stop();
  rmSync(work, { recursive: true, force: true });
}
