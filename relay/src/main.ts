/**
 * `npm run relay` — one relay instance with embedded defaults: 127.0.0.1:8787 (put it behind a TLS
 * proxy, or pass --host 0.0.0.0 on a machine that terminates TLS itself), registry in ./relay-data.
 *   bun relay/src/main.ts [--port N] [--host H] [--data DIR]
 */
import { parseArgs } from "node:util";
import { Relay } from "./relay.ts";

const { values: a } = parseArgs({
  options: {
    port: { type: "string", default: "8787" },
    host: { type: "string", default: "127.0.0.1" },
    data: { type: "string", default: "relay-data" },
  },
});
const port = Number(a.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`relay: --port must be 0 to 65535, not ${a.port}`);
  process.exit(2);
}
const relay = new Relay({ dataDir: a.data as string });
const server = Bun.serve({ hostname: a.host, port, fetch: relay.fetch, websocket: relay.websocket });
console.log(`BrewOS relay listening on ws://${a.host}:${server.port} (registry in ${a.data})`);
const stop = () => {
  relay.stop();
  server.stop(true);
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
