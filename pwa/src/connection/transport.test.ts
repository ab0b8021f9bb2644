/**
 * Home first, else the relay — over real WebSockets on 127.0.0.1 (Bun's server stands in for the
 * hub's /ws and for the relay's socket): the machine answering at home is used and the relay never
 * asked; a closed port at home goes to the relay at once; a home address that accepts the
 * connection but never answers goes to the relay after the wait; no ticket means no relay.
 */
import { afterAll, expect, test } from "bun:test";
import { createServer, type Server } from "node:net";
import { eventually } from "../testing/eventually.ts";
import { type HubSocketEvents, lanOrRelayTransport, type Route, webSocketTransport } from "./transport.ts";

const servers: { stop(): void }[] = [];
afterAll(() => {
  for (const s of servers) s.stop();
});

/** A WebSocket server that says who it is to every socket. */
function echoServer(name: string): string {
  const s = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (req, srv) => (srv.upgrade(req) ? undefined : new Response("ws only", { status: 426 })),
    websocket: {
      open: (ws) => {
        ws.send(`hello from ${name}`);
      },
      message: () => {},
    },
  });
  servers.push({ stop: () => s.stop(true) });
  return `http://127.0.0.1:${s.port}`;
}

/** A TCP port that accepts connections and then says nothing (a host that swallows the upgrade). */
async function silentPort(): Promise<string> {
  const s: Server = createServer(() => {});
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  servers.push({ stop: () => s.close() });
  return `http://127.0.0.1:${(s.address() as { port: number }).port}`;
}

function run(home: string, relay: string | null, lanWaitMs = 500) {
  const heard: string[] = [];
  const routes: Route[] = [];
  const closes: string[] = [];
  let relayAsked = 0;
  const t = lanOrRelayTransport(home, {
    lanWaitMs,
    onRoute: (r) => routes.push(r),
    remote: async () => {
      relayAsked++;
      return relay ? { describe: `${relay} (relay)`, open: (e: HubSocketEvents) => webSocketTransport(relay).open(e) } : null;
    },
  });
  const socket = t.open({ onOpen: () => {}, onMessage: (m) => heard.push(m), onClose: (why) => closes.push(why) });
  return { t, socket, heard, routes, closes, relayAsked: () => relayAsked };
}

test("the machine answering at home is used; the relay is not asked", async () => {
  const r = run(echoServer("home"), echoServer("relay"));
  await eventually(() => expect(r.heard).toEqual(["hello from home"]));
  expect(r.routes).toEqual(["lan"]);
  expect(r.relayAsked()).toBe(0);
  r.socket.close();
});

test("nothing listening at home: through the relay at once", async () => {
  const closed = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
  const home = `http://127.0.0.1:${closed.port}`;
  closed.stop(true);
  const started = Date.now();
  const r = run(home, echoServer("relay"), 5000);
  await eventually(() => expect(r.heard).toEqual(["hello from relay"]));
  expect(Date.now() - started).toBeLessThan(3000); // did not wait for the home timeout
  expect(r.routes).toEqual(["relay"]);
  expect(r.t.describe).toContain("(relay)");
  r.socket.close();
});

test("a home address that never answers: through the relay after the wait", async () => {
  const started = Date.now();
  const r = run(await silentPort(), echoServer("relay"), 400);
  await eventually(() => expect(r.heard).toEqual(["hello from relay"]), 5000);
  expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  expect(r.routes).toEqual(["relay"]);
  r.socket.close();
});

test("no ticket for the relay: the connection closes saying home did not answer", async () => {
  const r = run(await silentPort(), null, 200);
  await eventually(() => expect(r.closes).toEqual(["no answer at home"]), 5000);
  expect(r.relayAsked()).toBe(1);
  expect(r.routes).toEqual([]);
});
