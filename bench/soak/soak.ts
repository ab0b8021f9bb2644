/**
 * The soak (issue: never crash, never loop, never lose): days of use at high simulated speed
 * against real processes — the simulator (`brewos-sim serve`), the hub (`bun hub/src/main.ts`),
 * and between them a link that corrupts a share of its bytes and a scale connection that drops.
 * Each day: the tank is filled (SIGUSR1 to the simulator), power on, heat to ready, pull shots (one with the scale walking away), steam, eco,
 * standby; some days the hub is restarted, some days it is killed with SIGKILL mid-shot. Idle
 * hours between uses are skipped. Checked throughout: every shot the hub committed is still
 * there after every restart and at the end; the machine always reaches the state asked for within
 * a bound (no stuck state); the hub never exits on its own; its RSS stays flat.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { SIM_BINARY } from "../../hub/src/testing/hub-on-disk.ts";
import { spawnHubProcess } from "../../hub/src/testing/hub-process.ts";
import { readUntil } from "../../hub/src/testing/read-until.ts";
import { type FaultyProxy, faultyProxy } from "./faulty-proxy.ts";

export interface SoakOptions {
  days: number;
  speed: number;
  shotsPerDay: number;
  /** Share of link bytes corrupted, e.g. 0.01. */
  corruptShare: number;
  restartEveryDays: number;
  killEveryDays: number;
  log?: (text: string) => void;
}

export interface SoakResult {
  days: number;
  speed: number;
  simulated_hours_of_use: number;
  shots_pulled: number;
  shots_committed: number;
  shots_lost_to_kill: number;
  restarts: number;
  kills: number;
  scale_drops: number;
  link_bytes_corrupted: number;
  command_retries: number;
  invariant_violations: string[];
  rss_mb: { first_day: number; last_day: number; max_growth_pct_within_one_process: number };
  wall_s: number;
}

/** Reads a stream to its end in the background so the writer never blocks on a full pipe. */
function drain(stream: ReadableStream<Uint8Array>, keep: string[]): void {
  void (async () => {
    const reader = stream.getReader();
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      keep.push(new TextDecoder().decode(value));
      if (keep.length > 200) keep.splice(0, keep.length - 200);
    }
  })();
}

/** The last few dated lines of a process's output (what it said most recently, without its QR code). */
function lastLogLines(log: string[], count = 6): string {
  return log
    .join("")
    .split("\n")
    .filter((l) => /^\d{4}-\d\d-\d\dT/.test(l))
    .slice(-count)
    .join(" | ");
}

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const t0 = performance.now();
  const say = o.log ?? (() => {});
  const data = mkdtempSync(join(tmpdir(), "brewos-soak-"));
  const violations: string[] = [];
  const sim = Bun.spawn(
    [SIM_BINARY, "serve", "--machine", "dual_boiler", "--link", "tcp:0", "--scale", "tcp:0", "--speed", String(o.speed)],
    {
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    },
  );
  const linkPort = Number((await readUntil(sim.stdout, /^tcp: tcp 127\.0\.0\.1:(\d+)$/m, 10_000))[1]);
  const scalePort = Number((await readUntil(sim.stderr, /^scale: tcp 127\.0\.0\.1:(\d+)$/m, 10_000))[1]);
  const simLog: string[] = [];
  drain(sim.stderr, simLog);
  drain(sim.stdout, simLog);
  const link: FaultyProxy = await faultyProxy(linkPort, o.corruptShare, 7);
  const scale: FaultyProxy = await faultyProxy(scalePort, 0);

  let hub: Subprocess<"ignore", "pipe", "pipe"> | null = null;
  let base = "";
  let expectedExit = false;
  let hubLog: string[] = [];
  const startHub = async () => {
    expectedExit = false;
    const started = await spawnHubProcess(data, [
      "--tcp",
      `127.0.0.1:${link.port}`,
      "--sim-scale",
      String(scale.port),
      "--speed",
      String(o.speed),
    ]);
    const p = started.proc;
    hub = p;
    base = started.base;
    hubLog = [];
    drain(p.stdout, hubLog);
    drain(p.stderr, hubLog);
    void p.exited.then((code) => {
      if (!expectedExit && hub === p) violations.push(`the hub exited on its own (status ${code}): ${hubLog.join("").slice(-300)}`);
    });
  };
  const stopHub = async (signal: "SIGTERM" | "SIGKILL") => {
    const p = hub;
    if (!p) return;
    expectedExit = true;
    p.kill(signal);
    await p.exited;
  };

  let retries = 0;
  const api = async (path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const r = await fetch(
      `${base}${path}`,
      body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
    );
    return (await r.json()) as Record<string, unknown>;
  };
  /** A command, retried while the noisy link loses it (that is what the hub reports, honestly). */
  const command = async (c: Record<string, unknown>): Promise<Record<string, unknown>> => {
    let last: Record<string, unknown> = {};
    for (let i = 0; i < 8; i++) {
      last = await api("/api/commands", c).catch((e: Error) => ({ error: { code: "fetch", message: e.message } }));
      if (last.ok === true) return last;
      const code = (last.error as { code?: string } | undefined)?.code;
      if (code !== "no_ack" && code !== "link_down" && code !== "fetch" && code !== "timeout") return last;
      retries++;
      await Bun.sleep(200);
    }
    return last;
  };
  const state = async () =>
    (await api("/api/state").catch(() => ({}))) as { ready?: boolean; brewing?: boolean; state?: string; alarm?: string | null };
  const until = async (what: string, ok: (s: Awaited<ReturnType<typeof state>>) => boolean, ms: number): Promise<boolean> => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (ok(await state())) return true;
      await Bun.sleep(25);
    }
    violations.push(
      `stuck: ${what} not reached within ${ms} ms (${JSON.stringify(await state())}); the hub's last words: ${lastLogLines(hubLog)}`,
    );
    return false;
  };
  const committedIds = new Set<string>();
  const listShots = async (): Promise<{ id: string; status: string }[]> =>
    ((await api("/api/shots?limit=500").catch(() => ({ shots: [] }))) as { shots: { id: string; status: string }[] }).shots;
  const checkCommitted = async (when: string) => {
    const have = new Set((await listShots()).map((s) => s.id));
    for (const id of committedIds) if (!have.has(id)) violations.push(`${when}: committed shot ${id} is gone`);
  };
  const rss = (): number => {
    const pid = hub?.pid;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      return m ? Number(m[1]) / 1024 : 0;
    } catch {
      return 0;
    }
  };

  let pulled = 0;
  let lostToKill = 0;
  let restarts = 0;
  let kills = 0;
  let drops = 0;
  const rssByDay: { day: number; mb: number; life: number }[] = [];
  let life = 0;
  const bound = Math.max(20_000, (600 * 1000) / o.speed); // heat-up of a cold dual boiler, with room
  try {
    await startHub();
    for (let day = 1; day <= o.days; day++) {
      say(`day ${day}`);
      sim.kill("SIGUSR1"); // the owner fills the water tank in the morning
      await until("the link up", (s) => s.state !== undefined, bound);
      await command({ type: "clear_fault" });
      await command({ type: "set_mode", mode: "brew" });
      if (!(await until("ready", (s) => s.ready === true, bound))) continue;
      for (let n = 1; n <= o.shotsPerDay; n++) {
        const before = new Set((await listShots()).map((s) => s.id));
        const r = await command({ type: "start_shot", profile_slot: 0, require_scale: false, stop_time_s: 25 });
        if (r.ok !== true) {
          violations.push(`day ${day} shot ${n}: the hub refused to start it: ${JSON.stringify(r)}`);
          continue;
        }
        pulled++;
        const killNow = o.killEveryDays > 0 && day % o.killEveryDays === 0 && n === o.shotsPerDay;
        if (n === 2) {
          scale.cut(); // the scale walks out of range mid-shot
          drops++;
        }
        if (killNow) {
          await Bun.sleep(Math.max(5, 5000 / o.speed)); // a few simulated seconds into the shot
          await stopHub("SIGKILL");
          kills++;
          lostToKill++;
          await startHub();
          life++;
          await checkCommitted(`after SIGKILL on day ${day}`);
          await until("the shot to end after the kill", (s) => s.brewing === false, bound);
          continue;
        }
        await until(`day ${day} shot ${n} to end`, (s) => s.brewing === false && s.state !== undefined, bound);
        const end = Date.now() + 15_000;
        let found: string | undefined;
        while (!found && Date.now() < end) {
          found = (await listShots()).find((s) => !before.has(s.id) && s.status === "complete")?.id;
          if (!found) await Bun.sleep(50);
        }
        if (found) committedIds.add(found);
        else
          violations.push(
            `day ${day} shot ${n}: not recorded within 15 s (new rows: ${JSON.stringify((await listShots()).filter((s) => !before.has(s.id)))}; hub log: ${hubLog.join("").slice(-300)})`,
          );
        if (n < o.shotsPerDay) await until("ready again", (s) => s.ready === true, bound);
      }
      await command({ type: "set_mode", mode: "steam" });
      await Bun.sleep(Math.max(10, 30_000 / o.speed));
      await command({ type: "set_eco", on: true });
      await command({ type: "set_eco", on: false });
      await command({ type: "set_mode", mode: "standby" });
      await until("standby", (s) => s.state === "idle" || s.state === "standby", bound);
      rssByDay.push({ day, mb: rss(), life });
      if (o.restartEveryDays > 0 && day % o.restartEveryDays === 0 && day < o.days) {
        await stopHub("SIGTERM");
        restarts++;
        await startHub();
        life++;
        await checkCommitted(`after the restart on day ${day}`);
      }
    }
    await checkCommitted("at the end");
  } finally {
    await stopHub("SIGTERM").catch(() => {});
    await link.stop();
    await scale.stop();
    sim.kill();
    await sim.exited;
    rmSync(data, { recursive: true, force: true });
  }
  let growth = 0;
  for (const l of new Set(rssByDay.map((r) => r.life))) {
    const days = rssByDay.filter((r) => r.life === l && r.mb > 0);
    if (days.length < 3) continue;
    const first = days[1]?.mb ?? 0; // after the first day's warm-up
    const peak = Math.max(...days.slice(1).map((d) => d.mb));
    if (first > 0) growth = Math.max(growth, ((peak - first) / first) * 100);
  }
  const wallS = (performance.now() - t0) / 1000;
  return {
    days: o.days,
    speed: o.speed,
    simulated_hours_of_use: Math.round(((wallS * o.speed) / 3600) * 10) / 10,
    shots_pulled: pulled,
    shots_committed: committedIds.size,
    shots_lost_to_kill: lostToKill,
    restarts,
    kills,
    scale_drops: drops,
    link_bytes_corrupted: link.corrupted(),
    command_retries: retries,
    invariant_violations: violations,
    rss_mb: {
      first_day: Math.round((rssByDay[0]?.mb ?? 0) * 10) / 10,
      last_day: Math.round((rssByDay.at(-1)?.mb ?? 0) * 10) / 10,
      max_growth_pct_within_one_process: Math.round(growth * 10) / 10,
    },
    wall_s: Math.round(wallS),
  };
}
