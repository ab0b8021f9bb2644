/**
 * `brewos-sim serve` driven exactly as the hub will drive a machine: TS protocol encoder and
 * streaming decoder over a real pipe (stdio) and a real TCP socket on 127.0.0.1. Needs the host
 * build (npm test builds it first).
 */
import { afterEach, describe, expect, test } from "bun:test";
import { createReadStream, existsSync, openSync, writeSync } from "node:fs";
import { createConnection, type Socket } from "node:net";
import { join } from "node:path";
import {
  AckResult,
  AlarmAction,
  AlarmCode,
  ConfigKey,
  encodeFrame,
  MachineMode,
  MachineState,
  StopReason,
  type UartMessage,
  type UartMessageType,
  UartStreamDecoder,
  type UnsequencedMessage,
} from "../../protocol/uart/src/index.ts";

const SIM = join(import.meta.dir, "..", "..", "build", "host", "brewos-sim");

type Sent = UnsequencedMessage;

/** A minimal hub side: encodes what it sends, decodes everything it receives, records errors. */
class Peer {
  readonly got: UartMessage[] = [];
  readonly errors: string[] = [];
  private readonly decoder = new UartStreamDecoder();
  private seq = 0;
  private waiters: (() => void)[] = [];

  constructor(private readonly write: (b: Uint8Array) => void) {}

  feed(chunk: Uint8Array): void {
    for (const r of this.decoder.push(chunk)) {
      if (r.ok) this.got.push(r.message);
      else this.errors.push(r.error);
    }
    for (const w of this.waiters.splice(0)) w();
  }

  send(msg: Sent): number {
    const seq = this.seq++ & 0xffff;
    this.write(encodeFrame({ ...msg, seq } as UartMessage));
    return seq;
  }

  /** Resolve with the first message (after `from`) that matches, or reject after `ms`. */
  async waitFor<T extends UartMessageType>(
    type: T,
    pred: (m: Extract<UartMessage, { type: T }>) => boolean = () => true,
    ms = 20000,
    from = 0,
  ): Promise<Extract<UartMessage, { type: T }>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = this.got.slice(from).find((m) => m.type === type && pred(m as Extract<UartMessage, { type: T }>));
      if (hit) return hit as Extract<UartMessage, { type: T }>;
      if (Date.now() > deadline) throw new Error(`no ${type} within ${ms} ms (got ${this.got.length} messages)`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}

/** `brewos-sim serve` over stdio, a Peer on its pipes; killed at cleanup. */
function serveOverStdio(machine: string, speed: number) {
  const proc = Bun.spawn([SIM, "serve", "--machine", machine, "--link", "stdio", "--speed", String(speed)], {
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
  });
  cleanups.push(() => proc.kill());
  const peer = new Peer((b) => {
    proc.stdin.write(b);
    proc.stdin.flush();
  });
  void feedFrom(proc.stdout, peer);
  return { proc, peer };
}

/** Feed everything a child writes to `peer`, until it ends. */
async function feedFrom(stream: ReadableStream<Uint8Array>, peer: Peer): Promise<void> {
  const reader = stream.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    peer.feed(value);
  }
}

/** Read a child's output until `re` matches (a line may arrive in several chunks) or it ends. */
async function readUntil(stream: ReadableStream<Uint8Array>, re: RegExp): Promise<RegExpExecArray> {
  const reader = stream.getReader();
  let text = "";
  try {
    for (;;) {
      const m = re.exec(text);
      if (m) return m;
      const chunk = await reader.read();
      if (chunk.done) throw new Error(`output ended without ${re}: ${text}`);
      text += new TextDecoder().decode(chunk.value);
    }
  } finally {
    reader.releaseLock();
  }
}

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  // Last in, first out, each finished before the next.
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Drive a freshly served machine through hello, heat-up and a timed shot. */
async function exercise(peer: Peer): Promise<void> {
  await peer.waitFor("controller_hello");
  peer.send({ type: "hub_hello", proto_major: 1, proto_minor: 0, hub_major: 0, hub_minor: 1, hub_patch: 0, capabilities: 0, uptime_ms: 0 });
  const hello = await peer.waitFor("controller_hello", () => true, 5000, 1);
  expect(hello.proto_major).toBe(1);
  // Slow wall clocks on a busy machine must not look like a lost hub: give the keepalive room.
  const cfg = peer.send({ type: "config_set", key: ConfigKey.link_heater_timeout_ms, value: 60000 });
  await peer.waitFor("ack", (a) => a.acked_seq === cfg && a.result === AckResult.ok);
  const desired = () =>
    peer.send({ type: "desired_state", mode: MachineMode.brew, flags: 0, brew_setpoint_cdeg: 9300, steam_setpoint_cdeg: 12500, heating_strategy: 1 });
  desired();
  const keepalive = setInterval(desired, 20);
  cleanups.push(() => clearInterval(keepalive));
  const ready = await peer.waitFor("telemetry", (t) => t.state === MachineState.ready, 30000);
  expect(ready.brew_temp_cdeg).toBeGreaterThan(9190);
  const cold = peer.got.find((m) => m.type === "telemetry");
  expect(cold && cold.type === "telemetry" && cold.brew_temp_cdeg < 3000).toBe(true);

  const start = peer.send({ type: "shot_start", shot_token: 4242, profile_slot: 0, flags: 0, dose_dg: 180, target_weight_dg: 0, stop_time_ms: 15000, stop_volume_ul: 0 });
  await peer.waitFor("ack", (a) => a.acked_seq === start && a.result === AckResult.ok);
  await peer.waitFor("shot_started", (s) => s.shot_token === 4242);
  const brewing = await peer.waitFor("telemetry", (t) => t.state === MachineState.brewing && t.pressure_mbar > 5000);
  expect(brewing.pump_power_pmil).toBe(1000);
  const ended = await peer.waitFor("shot_ended", (e) => e.shot_token === 4242);
  expect(ended.stop_reason).toBe(StopReason.time);
  expect(ended.duration_ms).toBeGreaterThanOrEqual(14990);
  expect(ended.duration_ms).toBeLessThanOrEqual(15010);
  expect(ended.max_pressure_mbar).toBeGreaterThan(7000);
  expect(peer.errors).toEqual([]);
}

describe("brewos-sim serve", () => {
  test("the simulator binary is built", () => {
    expect(existsSync(SIM)).toBe(true);
  });

  test("over stdio: hello, heat-up to ready and a timed shot, decoded by the TS codec", async () => {
    const { proc, peer } = serveOverStdio("dual_boiler", 100);
    await exercise(peer);
    // Line noise on the link: the controller resynchronises and keeps answering.
    proc.stdin.write(Uint8Array.from([0x13, 0x37, 0x00, 0xff, 0xfe, 0x00]));
    const after = peer.got.length;
    const seq = peer.send({ type: "config_get", key: ConfigKey.brew_kp_milli });
    await peer.waitFor("ack", (a) => a.acked_seq === seq, 5000, after);
    proc.stdin.end();
    expect(await proc.exited).toBe(0); // stdin closed: the simulator stops cleanly
  }, 60000);

  test("faster than real time, a hub that stalls for a moment is waited for; one that stays silent is found lost", async () => {
    const { peer } = serveOverStdio("dual_boiler", 30);
    await peer.waitFor("controller_hello");
    peer.send({ type: "hub_hello", proto_major: 1, proto_minor: 0, hub_major: 0, hub_minor: 1, hub_patch: 0, capabilities: 0, uptime_ms: 0 });
    const desired = () =>
      peer.send({ type: "desired_state", mode: MachineMode.brew, flags: 0, brew_setpoint_cdeg: 9300, steam_setpoint_cdeg: 12500, heating_strategy: 1 });
    desired();
    let keepalive = setInterval(desired, 5);
    cleanups.push(() => clearInterval(keepalive));
    await peer.waitFor("telemetry", (t) => t.uptime_ms > 2000);
    const linkLoss = (from: number) =>
      peer.got.slice(from).find((m) => m.type === "alarm" && m.code === AlarmCode.link_loss && m.action === AlarmAction.raised);
    const uptime = () => (peer.got.findLast((m) => m.type === "telemetry") as { uptime_ms: number }).uptime_ms;

    // 400 ms of wall-clock silence is 12 s of machine time at 30x: past the 5 s heater timeout,
    // were the machine not to wait for its hub.
    const before = peer.got.length;
    const machineBefore = uptime();
    clearInterval(keepalive);
    await Bun.sleep(400);
    keepalive = setInterval(desired, 5);
    await Bun.sleep(200);
    expect(linkLoss(before)).toBeUndefined();
    expect(uptime() - machineBefore).toBeLessThan(12000);

    // Silent for good: after the wait, the machine's own timeout finds the link lost.
    clearInterval(keepalive);
    const silentFrom = Date.now();
    const lost = await peer.waitFor(
      "alarm",
      (a) => a.code === AlarmCode.link_loss && a.action === AlarmAction.raised,
      10000,
      peer.got.length,
    );
    expect(lost.value).toBeGreaterThanOrEqual(5000);
    expect(Date.now() - silentFrom).toBeGreaterThanOrEqual(1000);
    expect(peer.errors).toEqual([]);
  }, 30000);

  test("over a PTY opened as a plain file (how the hub reads a raw tty under Bun)", async () => {
    const proc = Bun.spawn([SIM, "serve", "--machine", "heat_exchanger", "--link", "pty", "--speed", "100"], {
      stdout: "pipe",
      stderr: "pipe",
    });
    const first = await proc.stdout.getReader().read();
    const path = new TextDecoder().decode(first.value).match(/pty: (\S+)/)?.[1];
    expect(path).toBeDefined();
    const fd = openSync(path as string, "r+");
    const stream = createReadStream("", { fd, autoClose: true }); // the stream owns the fd and closes it
    // EIO is how a PTY reports that the other side (the machine) went away: here, at cleanup.
    const unexpected: string[] = [];
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EIO" && e.code !== "EBADF") unexpected.push(String(e.code));
    });
    // A read of the PTY may be in flight on a worker thread: closing the fd under it would let that
    // read land on whatever next reuses the fd number (it once swallowed another child's stdout).
    // So the machine goes first (the pending read ends with EIO), then the stream closes the fd.
    cleanups.push(async () => {
      const closed = new Promise<void>((resolve) => stream.once("close", () => resolve()));
      proc.kill();
      await proc.exited;
      stream.destroy();
      await closed;
    });
    const peer = new Peer((b) => writeSync(fd, b));
    stream.on("data", (d) => peer.feed(new Uint8Array(d as Buffer)));
    await peer.waitFor("controller_hello");
    peer.send({ type: "hub_hello", proto_major: 1, proto_minor: 0, hub_major: 0, hub_minor: 1, hub_patch: 0, capabilities: 0, uptime_ms: 0 });
    const hello = await peer.waitFor("controller_hello", (h) => h.machine_type === 3, 5000, 1);
    expect(hello.capabilities & 1).toBe(1); // pressure sensor
    const t = await peer.waitFor("telemetry", () => true, 5000);
    expect(t.steam_temp_cdeg).toBeGreaterThan(1500);
    expect(peer.errors).toEqual([]);
    expect(unexpected).toEqual([]);
  }, 30000);

  test("over TCP on 127.0.0.1, and a second hub can connect after the first leaves", async () => {
    // tcp:0: the OS picks the port and the simulator announces it once it listens.
    const proc = Bun.spawn([SIM, "serve", "--machine", "single_boiler", "--link", "tcp:0", "--speed", "100"], {
      stdin: "ignore",
      stdout: "pipe",
      stderr: "ignore",
    });
    cleanups.push(() => proc.kill());
    const port = Number((await readUntil(proc.stdout, /^tcp: tcp 127\.0\.0\.1:(\d+)$/m))[1]);
    const connect = () =>
      new Promise<Socket>((resolve, reject) => {
        const s = createConnection({ host: "127.0.0.1", port }, () => resolve(s));
        s.once("error", reject);
      });
    const first = await connect();
    const peer = new Peer((b) => first.write(b));
    first.on("data", (d: Buffer) => peer.feed(new Uint8Array(d)));
    await exercise(peer);
    first.destroy();
    const second = await connect();
    const peer2 = new Peer((b) => second.write(b));
    second.on("data", (d: Buffer) => peer2.feed(new Uint8Array(d)));
    peer2.send({ type: "hub_hello", proto_major: 1, proto_minor: 0, hub_major: 0, hub_minor: 1, hub_patch: 0, capabilities: 0, uptime_ms: 0 });
    const hello = await peer2.waitFor("controller_hello", () => true, 5000);
    expect(hello.machine_type).toBe(2);
    second.destroy();
  }, 60000);

  test("--scale: a bad value is refused with the usage; tcp:0 announces the port it got", async () => {
    for (const bad of ["tcp:", "tcp:x", "tcp:70000", "udp:1"]) {
      const p = Bun.spawn([SIM, "serve", "--machine", "dual_boiler", "--link", "stdio", "--scale", bad], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
      await p.stdin.end();
      // Read the usage while waiting for the exit: an unread pipe must never decide the outcome.
      const [status, usage, out] = await Promise.all([p.exited, new Response(p.stderr).text(), new Response(p.stdout).text()]);
      expect({ bad, status, signal: p.signalCode }).toEqual({ bad, status: 2, signal: null });
      expect(usage).toContain("--scale tcp:PORT");
      expect(out).toBe("");
    }
    // The reader of its stderr gone before it writes the usage: still exit 2, not a death by SIGPIPE.
    for (let i = 0; i < 20; i++) {
      const p = Bun.spawn([SIM, "serve", "--machine", "dual_boiler", "--link", "stdio", "--scale", "tcp:x"], { stdin: "ignore", stdout: "ignore", stderr: "pipe" });
      await p.stderr.cancel();
      expect({ status: await p.exited, signal: p.signalCode }).toEqual({ status: 2, signal: null });
    }
    const proc = Bun.spawn([SIM, "serve", "--machine", "dual_boiler", "--link", "stdio", "--scale", "tcp:0", "--speed", "50"], {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
    });
    cleanups.push(() => proc.kill());
    const port = Number((await readUntil(proc.stderr, /^scale: tcp 127\.0\.0\.1:(\d+)$/m))[1]);
    expect(port).toBeGreaterThan(0);
    const lines = await new Promise<string[]>((resolve, reject) => {
      let text = "";
      const s = createConnection({ host: "127.0.0.1", port });
      s.on("data", (d: Buffer) => {
        text += d.toString();
        if (text.split("\n").length > 20) {
          s.destroy();
          resolve(text.split("\n").slice(0, 20));
        }
      });
      s.once("error", reject);
    });
    for (const l of lines) expect(l).toMatch(/^w \d+ -?\d+\.\d$/);
    const ms = lines.map((l) => Number(l.split(" ")[1]));
    const gaps = ms.slice(1).map((t, i) => t - (ms[i] as number));
    // 100 ms +- 15 ms jitter (on the 10 ms tick), and now and then a dropped notification.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(80);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(350);
  }, 20000);
});
