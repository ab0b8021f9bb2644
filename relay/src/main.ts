/**
 * `npm run relay` — one relay instance with embedded defaults: 127.0.0.1:8787 (put it behind a TLS
 * proxy, or pass --host 0.0.0.0 on a machine that terminates TLS itself), registry in ./relay-data.
 *   bun relay/src/main.ts [--port N] [--host H] [--data DIR] [--redis redis://host:6379]
 * With --redis, several instances (behind one load balancer) act as one relay.
 */
import { parseArgs } from "node:util";
import { Cluster } from "./cluster.ts";
import { Relay } from "./relay.ts";

const { values: a } = parseArgs({
  options: {
    port: { type: "string", default: "8787" },
    host: { type: "string", default: "127.0.0.1" },
    data: { type: "string", default: "relay-data" },
    redis: { type: "string" },
  },
});
const port = Number(a.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`relay: --port must be 0 to 65535, not ${a.port}`);
  process.exit(2);
}
const relay = new Relay({ dataDir: a.data as string, ...(a.redis ? { cluster: new Cluster(a.redis) } : {}) });
try {
  await relay.start();
} catch (e) {
  console.error(`relay: cannot reach Redis at ${a.redis}: ${(e as Error).message}`);
  process.exit(1);
}
const server = Bun.serve({ hostname: a.host, port, fetch: relay.fetch, websocket: relay.websocket });
console.log(
  `BrewOS relay listening on ws://${a.host}:${server.port} (registry in ${a.data}${a.redis ? `; instance ${relay.health().instance} on ${a.redis}` : ""})`,
);
const stop = () => {
  relay.stop();
  server.stop(true);
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
