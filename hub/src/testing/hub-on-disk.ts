/**
 * Test helpers: a real hub (SQLite on disk, HTTP on 127.0.0.1) on the simulator, or with its
 * controller link pointing at a closed port for tests of what the hub does without a machine.
 * `stop` cleans up (and removes the data folder when the helper made it).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BACKUP_BODY_LIMIT_BYTES, createHubServer, type HubServerOptions } from "../api/app.ts";
import type { TransportFactory } from "../controller-link/transport.ts";
import { type SpawnedSimOptions, spawnedSimTransport } from "../controller-link/transports/spawned-sim.ts";
import { tcpTransport } from "../controller-link/transports/tcp.ts";
import { Hub, type HubOptions } from "../hub.ts";
import type { GattConnector } from "../scale/gatt-link.ts";
import type { ScaleSource } from "../scale/scale-source.ts";
import { simulatorWithScale } from "../scale/simulator-scale.ts";

export const SIM_BINARY = join(import.meta.dir, "..", "..", "..", "build", "host", "brewos-sim");

export async function closedPort(): Promise<number> {
  const s = createServer();
  const port = await new Promise<number>((r) => s.listen(0, "127.0.0.1", () => r((s.address() as { port: number }).port)));
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface TestHubOptions extends HubServerOptions {
  /** Keep data here (and leave it after stop); default: a fresh temp folder, removed on stop. */
  dataDir?: string;
  speed?: number;
  log?: (level: "info" | "warn", text: string) => void;
  /** Listen on this port (a hub restarted on the same address); default: any free port. */
  port?: number;
  pairingTtlMs?: number;
  /** Listen on this address (default 127.0.0.1; "::" takes IPv4 and IPv6). */
  hostname?: string;
  /** Bun's idle timeout in seconds (default Bun's 10). */
  idleTimeoutS?: number;
  controllerRelease?: HubOptions["controllerRelease"];
}

/** What the hub answered, request by request (attack tests read it). */
export interface AnsweredRequest {
  method: string;
  path: string;
  origin: string | null;
  host: string | null;
  status: number;
}

async function serveHub(open: TransportFactory, o: TestHubOptions, scale?: GattConnector, scaleSource?: ScaleSource) {
  const own = o.dataDir === undefined;
  const dir = o.dataDir ?? mkdtempSync(join(tmpdir(), "brewos-hub-"));
  const hub = new Hub({
    open,
    dataDir: dir,
    ...(o.speed ? { speed: o.speed } : {}),
    ...(o.log ? { log: o.log } : {}),
    ...(scale ? { scale } : {}),
    ...(scaleSource ? { scaleSource } : {}),
    ...(o.pairingTtlMs ? { pairingTtlMs: o.pairingTtlMs } : {}),
    ...(o.controllerRelease ? { controllerRelease: o.controllerRelease } : {}),
  });
  const server = createHubServer(hub, o);
  hub.start();
  const answered: AnsweredRequest[] = [];
  const http = Bun.serve({
    port: o.port ?? 0,
    hostname: o.hostname ?? "127.0.0.1",
    fetch: async (req, srv) => {
      const res = await server.app.fetch(req, srv);
      if (answered.length < 10_000) {
        const u = new URL(req.url);
        answered.push({
          method: req.method,
          path: u.pathname,
          origin: req.headers.get("origin"),
          host: req.headers.get("host"),
          status: res.status,
        });
      }
      return res;
    },
    websocket: server.websocket,
    maxRequestBodySize: BACKUP_BODY_LIMIT_BYTES + 1024 * 1024,
    ...(o.idleTimeoutS ? { idleTimeout: o.idleTimeoutS } : {}),
  });
  server.relay?.start();
  const stop = async () => {
    server.relay?.stop();
    server.fanout.stop();
    await http.stop(true);
    await hub.stop();
    if (own) rmSync(dir, { recursive: true, force: true });
  };
  return { hub, server, base: `http://127.0.0.1:${http.port}`, stop, answered };
}

/** A hub on a link the test opens itself (a simulator that outlives the hub, over TCP). */
export async function hubOnTransport(open: TransportFactory, o: TestHubOptions = {}) {
  return serveHub(open, o);
}

/** A hub with no machine behind it. */
export async function hubOnDisk(o: TestHubOptions = {}) {
  return serveHub(tcpTransport("127.0.0.1", await closedPort()), o);
}

/** A hub on a spawned simulator (`machine`: a preset name or a machine JSON file), link up; with `scale`, its virtual scale too. */
export async function hubOnSim(
  machine: string,
  o: TestHubOptions & { speed: number; scale?: boolean; simArgs?: SpawnedSimOptions["args"]; waitUp?: boolean },
) {
  const sim = { binary: SIM_BINARY, machine, speed: o.speed, ...(o.simArgs ? { args: o.simArgs } : {}) };
  const withScale = o.scale ? simulatorWithScale(sim) : null;
  const h = await serveHub(withScale?.open ?? spawnedSimTransport(sim), o, withScale?.scale);
  if (o.waitUp !== false) await h.hub.link.whenUp(10000);
  return h;
}

/** A hub on a spawned simulator whose scale reaches it some other way (a Bluetooth scale through the
 * connection manager, or a phone that holds it; null: the hub has none of its own): `radio` is the
 * simulator's virtual Decent Scale, for the test to put on the air. */
export async function hubOnSimWithScaleSource(
  machine: string,
  o: TestHubOptions & { speed: number; simArgs?: string[] },
  scaleSource: (radio: GattConnector) => ScaleSource | null,
) {
  const sim = simulatorWithScale({ binary: SIM_BINARY, machine, speed: o.speed, ...(o.simArgs ? { args: o.simArgs } : {}) });
  const h = await serveHub(sim.open, o, undefined, scaleSource(sim.scale) ?? undefined);
  await h.hub.link.whenUp(10000);
  return h;
}
