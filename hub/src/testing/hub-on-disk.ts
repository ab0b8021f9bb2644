/**
 * Test helper: a real hub (SQLite in a temp folder, HTTP on 127.0.0.1) whose controller link
 * points at a closed port, for tests of what the hub does without a machine. `stop` cleans up.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHubServer, type HubServerOptions } from "../api/app.ts";
import { tcpTransport } from "../controller-link/transports/tcp.ts";
import { Hub } from "../hub.ts";

export async function closedPort(): Promise<number> {
  const s = createServer();
  const port = await new Promise<number>((r) => s.listen(0, "127.0.0.1", () => r((s.address() as { port: number }).port)));
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function hubOnDisk(o: HubServerOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), "brewos-hub-"));
  const hub = new Hub({ open: tcpTransport("127.0.0.1", await closedPort()), dataDir: dir });
  const server = createHubServer(hub, o);
  hub.start();
  const http = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: server.app.fetch, websocket: server.websocket });
  const stop = async () => {
    server.fanout.stop();
    await http.stop(true);
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return { hub, base: `http://127.0.0.1:${http.port}`, stop };
}
