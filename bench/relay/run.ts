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
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SESSION_PREFIX_BYTES, withSession } from "../../protocol/relay/src/relay-wire.ts";
import { age, at2Hz, connectHub, FRAME_BYTES, inBatches, joinApp, nativeKey, type Pair, pct, procStat, stamp, ticketFor } from "./load.ts";

const root = join(import.meta.dir, "..", "..");
const PAIRS = (process.env.PAIRS ?? "1000,9000").split(",").map(Number);
const STORM = Number(process.env.STORM ?? 10000);
const DURATION_S = Number(process.env.DURATION_S ?? 20);
const port = 22000 + Math.floor(Math.random() * 20000);
const data = mkdtempSync(join(tmpdir(), "brewos-bench-relay-"));
const relay = Bun.spawn([process.execPath, join(root, "relay", "src", "main.ts"), "--port", String(port), "--data", data], {
  stdout: "pipe",
  stderr: "inherit",
});
const url = `ws://127.0.0.1:${port}`;

async function run(n: number) {
  const idle = procStat(relay.pid);
  const t0 = performance.now();
  const pairs = await inBatches(n, 500, () => connectHub(url));
  const connect_s = (performance.now() - t0) / 1000;
  await inBatches(n, 500, async (i) => {
    const p = pairs[i] as Pair;
    const appKey = await nativeKey();
    p.app = await joinApp(url, appKey, await ticketFor(p.key, appKey.id));
  });
  const deadline = Date.now() + 10_000;
  while (pairs.some((p) => p.session < 0) && Date.now() < deadline) await Bun.sleep(10);
  const latencies: number[] = [];
  let received = 0;
  for (const p of pairs) {
    p.hub.onmessage = (e) => {
      if (typeof e.data === "string") return;
      latencies.push(age(new Uint8Array(e.data as ArrayBuffer), SESSION_PREFIX_BYTES));
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
  // 2 Hz each way, each pair at its own phase; one frame per pair and way, stamped again at each send.
  const ups = pairs.map(() => new Uint8Array(FRAME_BYTES));
  const downs = pairs.map((p) => withSession(p.session, new Uint8Array(FRAME_BYTES)));
  const sent =
    2 *
    (await at2Hz(pairs.length, DURATION_S * 1000, (i) => {
      const p = pairs[i] as Pair;
      const up = ups[i] as Uint8Array;
      stamp(up);
      p.app?.send(up);
      const down = downs[i] as Uint8Array;
      stamp(down, SESSION_PREFIX_BYTES);
      p.hub.send(down);
    }));
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
  const storm = await inBatches(STORM, 1000, () => connectHub(url));
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
