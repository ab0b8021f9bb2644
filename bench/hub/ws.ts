/**
 * `npm run bench:hub-ws`: the hub as its own process on the simulator in real time, 100 WebSocket
 * clients on 127.0.0.1, a 60 s shot so telemetry runs at 20 Hz. Latency is from the controller
 * frame arriving at the hub (`rx_ms` in each delta, same machine clock) to each client receiving
 * the delta. Also: deltas missed by any client (seq gaps), hub CPU and peak RSS from /proc.
 * Prints JSON. Targets (issue 5): p99 ≤ 10 ms, peak RSS ≤ 120 MB, zero dropped deltas.
 * Env: CLIENTS (100), SHOT_S (60).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dir, "..", "..");
const CLIENTS = Number(process.env.CLIENTS ?? 100);
const SHOT_S = Number(process.env.SHOT_S ?? 60);
const port = 21000 + Math.floor(Math.random() * 20000);
const data = mkdtempSync(join(tmpdir(), "brewos-bench-ws-"));
const hub = Bun.spawn(
  [
    process.execPath,
    join(root, "hub", "src", "main.ts"),
    "--sim",
    "dual_boiler",
    "--speed",
    "1",
    "--port",
    String(port),
    "--host",
    "127.0.0.1",
    "--data",
    data,
  ],
  {
    stdout: "pipe",
    stderr: "inherit",
  },
);
const base = `http://127.0.0.1:${port}`;

function procStat(pid: number): { cpu_s: number; hwm_kb: number; rss_kb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(f[11]) + Number(f[12]); // utime + stime
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { cpu_s: ticks / 100, hwm_kb: kb("VmHWM"), rss_kb: kb("VmRSS") };
}

async function waitUp(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      const h = (await (await fetch(`${base}/api/health`)).json()) as { link: { state: string } };
      if (h.link.state === "up") return;
    } catch {
      // not listening yet
    }
    await Bun.sleep(50);
  }
  throw new Error("hub did not come up");
}

try {
  await waitUp();
  const latencies: number[] = [];
  let gaps = 0;
  let deltas = 0;
  const sockets: WebSocket[] = [];
  await Promise.all(
    Array.from({ length: CLIENTS }, () => {
      const ws = new WebSocket(`${base.replace("http", "ws")}/ws`);
      sockets.push(ws);
      let seq = -1;
      let measuring = false;
      ws.addEventListener("message", (e) => {
        const now = performance.timeOrigin + performance.now();
        const m = JSON.parse(String(e.data)) as {
          type: string;
          seq?: number;
          from_seq?: number;
          rx_ms?: number;
          changes?: { brewing?: boolean };
        };
        if (m.type === "snapshot") seq = (m as unknown as { state: { seq: number } }).state.seq;
        if (m.type !== "delta" || m.seq === undefined || m.from_seq === undefined) return;
        if (m.changes?.brewing === true) measuring = true;
        if (m.from_seq > seq + 1) gaps++;
        seq = m.seq;
        if (measuring && m.rx_ms) {
          latencies.push(now - m.rx_ms);
          deltas++;
        }
        if (m.changes?.brewing === false) measuring = false;
      });
      return new Promise<void>((resolve) => ws.addEventListener("open", () => resolve()));
    }),
  );
  await Bun.sleep(500);
  const before = procStat(hub.pid);
  const t0 = performance.now();
  const r = await fetch(`${base}/api/commands`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ type: "start_shot", stop_time_s: SHOT_S }),
  });
  if (!r.ok) throw new Error(`start_shot: ${await r.text()}`);
  for (;;) {
    await Bun.sleep(250);
    const s = (await (await fetch(`${base}/api/state`)).json()) as { brewing: boolean };
    if (!s.brewing && performance.now() - t0 > 2000) break;
  }
  const wallS = (performance.now() - t0) / 1000;
  const after = procStat(hub.pid);
  for (const ws of sockets) ws.close();
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    Math.round((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN) * 1000) / 1000;
  const peakMb = Math.round((after.hwm_kb / 1024) * 10) / 10;
  const p99 = q(0.99);
  console.log(
    JSON.stringify(
      {
        benchmark: "hub-ws-fanout",
        clients: CLIENTS,
        shot_s: SHOT_S,
        deltas_received: deltas,
        deltas_per_client_per_s: Math.round((deltas / CLIENTS / wallS) * 10) / 10,
        latency_ms: { p50: q(0.5), p99, max: q(1) },
        dropped_deltas: gaps,
        hub_cpu_pct_of_one_core: Math.round(((after.cpu_s - before.cpu_s) / wallS) * 1000) / 10,
        hub_peak_rss_mb: peakMb,
        targets: { p99_le_10_ms: p99 <= 10, rss_le_120_mb: peakMb <= 120, zero_dropped: gaps === 0 },
      },
      null,
      2,
    ),
  );
} finally {
  hub.kill("SIGTERM");
  await hub.exited;
  rmSync(data, { recursive: true, force: true });
}
