/**
 * The controller link against the real simulator (`brewos-sim serve`, fast mode) over each
 * transport, including a TCP fault proxy on 127.0.0.1 that corrupts or drops frames.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { AckResult, decodeBlock, MachineMode, MachineState, type UartMessage } from "@brewos/protocol/uart";
import { SIM_BINARY } from "../testing/hub-on-disk.ts";
import { spawnTcpSim } from "../testing/tcp-sim.ts";
import { ControllerLink, type DesiredState, LinkError } from "./controller-link.ts";
import type { TransportFactory } from "./transport.ts";
import { spawnedSimTransport } from "./transports/spawned-sim.ts";
import { tcpTransport } from "./transports/tcp.ts";
import { ttyTransport } from "./transports/tty.ts";

const SIM = SIM_BINARY;
const SPEED = 50;
const BREW: DesiredState = { mode: MachineMode.brew, flags: 0, brew_setpoint_cdeg: 9300, steam_setpoint_cdeg: 12500, heating_strategy: 1 };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A link whose keepalive keeps pace with a simulator running SPEED times faster than real time. */
function link(open: TransportFactory, firstRetryMs = 50, silenceMs = 3000): ControllerLink {
  const l = new ControllerLink({
    open,
    desired: () => BREW,
    keepaliveMs: Math.max(2, 200 / SPEED),
    backoff: { initialMs: firstRetryMs, maxMs: 8 * firstRetryMs },
    silenceMs,
  });
  cleanups.push(() => l.stop());
  return l;
}

function collect(l: ControllerLink): UartMessage[] {
  const got: UartMessage[] = [];
  l.onMessage((m) => got.push(m));
  return got;
}

async function until<T>(what: string, fn: () => T | undefined | false, ms = 20000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(10);
  }
}

/** A simulator on a port the OS picked, stopped after the test. */
async function tcpSim(machine: string): Promise<{ port: number }> {
  const sim = await spawnTcpSim(machine, SPEED);
  cleanups.push(sim.stop);
  return sim;
}

/** TCP proxy hub <-> simulator that can corrupt the next controller frame or drop the next ack. */
class FaultProxy {
  corruptNext = false;
  /** Swallow everything the controller sends (a link that is open but dead). */
  mute = false;
  dropNextAck = false;
  /** Swallow the controller's next hello (its answer to our hub_hello, lost on the wire). */
  dropNextHello = false;
  dropped = 0;
  port = 0;
  private server: Server;
  private sockets: Socket[] = [];

  constructor(simPort: number) {
    this.server = createServer((hub) => {
      const sim = createConnection({ host: "127.0.0.1", port: simPort });
      this.sockets.push(hub, sim);
      hub.on("data", (d) => sim.write(d));
      let pending: number[] = [];
      sim.on("data", (d: Buffer) => {
        if (this.mute) return;
        for (const b of d) {
          pending.push(b);
          if (b !== 0) continue;
          const frame = Uint8Array.from(pending);
          pending = [];
          const r = frame.length > 1 ? decodeBlock(frame.subarray(0, frame.length - 1)) : null;
          if (this.dropNextAck && r?.ok && r.message.type === "ack") {
            this.dropNextAck = false;
            this.dropped++;
            continue;
          }
          if (this.dropNextHello && r?.ok && r.message.type === "controller_hello") {
            this.dropNextHello = false;
            this.dropped++;
            continue;
          }
          if (this.corruptNext && r?.ok && frame.length > 8) {
            this.corruptNext = false;
            const i = frame.length - 3; // inside the CRC or the last payload bytes, never a delimiter
            frame[i] = (frame[i] ?? 0) === 0xff ? 0xfe : (frame[i] ?? 0) + 1;
          }
          hub.write(frame);
        }
      });
      const end = () => {
        hub.destroy();
        sim.destroy();
      };
      hub.on("close", end);
      sim.on("close", end);
      hub.on("error", end);
      sim.on("error", end);
    });
    cleanups.push(() => this.close());
  }

  /** A proxy listening on a port the OS picked. */
  static async listen(simPort: number): Promise<FaultProxy> {
    const proxy = new FaultProxy(simPort);
    await new Promise<void>((resolve) => proxy.server.listen(0, "127.0.0.1", () => resolve()));
    proxy.port = (proxy.server.address() as { port: number }).port;
    return proxy;
  }

  /** Close the open connections (the hub reconnects; the simulator keeps running). */
  cut(): void {
    for (const s of this.sockets.splice(0)) s.destroy();
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe("controller link", () => {
  test("over a spawned simulator: hello, the controller's config, and heat-up on the desired state alone", async () => {
    const l = link(spawnedSimTransport({ binary: SIM, machine: "dual_boiler", speed: SPEED }));
    const got = collect(l);
    l.start();
    await l.whenUp(5000);
    const h = l.health();
    expect(h.state).toBe("up");
    expect(h.controller?.machine_type).toBe(1);
    expect(h.controller?.proto_major).toBe(1);
    await until("config reports", () => l.config.size >= 50);
    await until("ready", () => got.some((m) => m.type === "telemetry" && m.state === MachineState.ready), 30000);
    const ack = await l.command({ type: "config_set", key: 2, value: 400000 });
    expect(ack.result).toBe(AckResult.ok);
    const bad = await l.command({ type: "config_set", key: 2, value: -5 });
    expect(bad.result).toBe(AckResult.invalid_field); // an answer with a reason, not an exception
    const after = l.health();
    expect(after.frames).toBeGreaterThan(100);
    expect(after.resyncs).toBe(0);
    expect(after.controller_resets).toBe(0); // its boot hello crossing ours is not a restart
    expect(after.last_frame_age_ms).toBeLessThan(1000);
  }, 60000);

  test("a killed simulator: commands fail with link_down, the link reconnects to a new one", async () => {
    const l = link(spawnedSimTransport({ binary: SIM, machine: "single_boiler", speed: SPEED }), 1000);
    l.start();
    await l.whenUp(5000);
    const pid = Number(l.health().transport?.match(/pid (\d+)/)?.[1]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, "SIGKILL");
    await until("link down", () => l.health().state !== "up", 5000);
    expect(l.health().last_error).toContain("simulator exited");
    const refused = await l.command({ type: "fault_clear", code: 0 }).catch((e: unknown) => e);
    expect((refused as LinkError).code).toBe("link_down"); // the first retry is a second away
    await l.whenUp(5000);
    const h = l.health();
    expect(h.reconnects).toBeGreaterThanOrEqual(1);
    expect(h.controller_resets).toBe(1); // the new machine's clock started again
    expect(Number(h.transport?.match(/pid (\d+)/)?.[1])).not.toBe(pid);
    expect((await l.command({ type: "config_get", key: 2 })).result).toBe(AckResult.ok);
  }, 30000);

  test("corrupted frames are counted and skipped; a lost ack is retried with the same seq and runs once", async () => {
    const sim = await tcpSim("dual_boiler");
    const proxy = await FaultProxy.listen(sim.port);
    const l = link(tcpTransport("127.0.0.1", proxy.port));
    const got = collect(l);
    l.start();
    await l.whenUp(10000);
    proxy.corruptNext = true;
    await until("a resync", () => l.health().resyncs >= 1, 5000);
    expect(l.health().state).toBe("up");
    await until("ready", () => got.some((m) => m.type === "telemetry" && m.state === MachineState.ready), 30000);

    proxy.dropNextAck = true;
    const ack = await l.command({
      type: "shot_start",
      shot_token: 777,
      profile_slot: 0,
      flags: 0,
      dose_dg: 180,
      target_weight_dg: 0,
      stop_time_ms: 0,
      stop_volume_ul: 50000,
    });
    expect(proxy.dropped).toBe(1);
    expect(ack.result).toBe(AckResult.ok);
    expect(l.health().commands_retried).toBeGreaterThanOrEqual(1);
    await until("shot end", () => got.some((m) => m.type === "shot_ended" && m.shot_token === 777), 20000);
    expect(got.filter((m) => m.type === "shot_started" && m.shot_token === 777)).toHaveLength(1);
  }, 60000);

  test("a TCP link closed by the far side (a bridge restarted) is reconnected", async () => {
    const sim = await tcpSim("dual_boiler");
    const proxy = await FaultProxy.listen(sim.port);
    const l = link(tcpTransport("127.0.0.1", proxy.port));
    l.start();
    await l.whenUp(10000);
    proxy.cut();
    await until("the link down", () => l.health().state !== "up", 2000);
    await l.whenUp(3000);
    expect(l.health().reconnects).toBe(1);
    expect((await l.command({ type: "config_get", key: 2 })).result).toBe(AckResult.ok);
  }, 30000);

  test("a lost answer to hub_hello costs one repeat, not the handshake timeout and a reconnect", async () => {
    const sim = await tcpSim("dual_boiler");
    const proxy = await FaultProxy.listen(sim.port);
    const l = link(tcpTransport("127.0.0.1", proxy.port));
    l.start();
    await l.whenUp(10000);
    // The controller now knows a hub, so it will not repeat its own hello: only the hub can.
    const reconnects = l.health().reconnects;
    proxy.dropNextHello = true;
    proxy.cut();
    await until("the link down", () => l.health().state !== "up", 2000);
    const t0 = Date.now();
    await l.whenUp(10000);
    expect(proxy.dropped).toBe(1);
    expect(Date.now() - t0).toBeLessThan(2500); // the handshake timeout is 6000 ms
    expect(l.health().reconnects).toBe(reconnects + 1);
  }, 30000);

  test("an open but silent link is declared dead and reconnected", async () => {
    const sim = await tcpSim("dual_boiler");
    const proxy = await FaultProxy.listen(sim.port);
    const l = link(tcpTransport("127.0.0.1", proxy.port), 50, 500);
    l.start();
    await l.whenUp(10000);
    proxy.mute = true;
    await until("link down", () => l.health().state !== "up", 3000);
    expect(l.health().last_error).toMatch(/no frame from the controller for \d+ ms/);
    proxy.mute = false;
    await l.whenUp(5000);
    expect(l.health().reconnects).toBeGreaterThanOrEqual(1);
  }, 30000);

  test("a PTY opened as a raw tty", async () => {
    const proc = Bun.spawn([SIM, "serve", "--machine", "heat_exchanger", "--link", "pty", "--speed", String(SPEED)], {
      stdout: "pipe",
      stderr: "pipe",
    });
    cleanups.push(async () => {
      proc.kill();
      await proc.exited;
    });
    const first = await proc.stdout.getReader().read();
    const path = new TextDecoder().decode(first.value).match(/pty: (\S+)/)?.[1] as string;
    const l = link(ttyTransport(path));
    const got = collect(l);
    l.start();
    await l.whenUp(5000);
    expect(l.health().transport).toBe(`tty ${path} @921600`);
    await until("telemetry", () => got.some((m) => m.type === "telemetry"), 5000);
    proc.kill("SIGKILL"); // the machine goes away: EIO on the tty is a lost link, not a crash
    await until("link down", () => l.health().state === "down", 5000);
  }, 30000);

  test("nothing listening: backoff retries and says why", async () => {
    const server = createServer();
    const port = await new Promise<number>((r) => server.listen(0, "127.0.0.1", () => r((server.address() as { port: number }).port)));
    await new Promise<void>((r) => server.close(() => r())); // a port that was free a moment ago
    const l = link(tcpTransport("127.0.0.1", port));
    l.start();
    await until("three attempts", () => l.health().reconnects >= 3, 5000);
    const h = l.health();
    expect(h.state).not.toBe("up");
    expect(h.last_error).toContain("ECONNREFUSED");
    const e = await l.command({ type: "shot_stop", shot_token: 0 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LinkError);
    expect((e as LinkError).code).toBe("link_down");
    expect((e as LinkError).message).toContain("ECONNREFUSED");
  }, 20000);
});
