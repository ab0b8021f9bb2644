/**
 * Two relay instances as one, on a real redis-server (127.0.0.1, nothing on disk), each with its
 * own SQLite registry: a hub on instance A, its app on instance B (which never saw the hub: the
 * ticket is checked with the key from Redis); frames cross both ways untouched; the hub's end of a
 * session, the app leaving and the hub leaving all reach the other side; the hub moving to B
 * replaces its socket on A. Then a real hub on the simulator's SQLite on A and an app on B: the
 * end-to-end handshake and the hub's ordinary /ws conversation, across the two instances.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { idForPublicKey, keyPair, signerFor } from "@brewos/protocol/auth";
import { issueTicket, RELAY_CLOSE } from "@brewos/protocol/relay";
import { issueClaim } from "@brewos/protocol/relay/account-claim";
import { AppChannel } from "@brewos/protocol/relay/app-channel";
import { acmeChallengeName } from "@brewos/protocol/relay/lan-names";
import { hubOnDisk } from "../../hub/src/testing/hub-on-disk.ts";
import { until } from "../../hub/src/testing/until.ts";
import { Cluster } from "./cluster.ts";
import { Relay } from "./relay.ts";
import { startIssuer, TEST_AUDIENCE, type TestIssuer } from "./testing/oidc-issuer.ts";
import { connectHub, expectFramesBothWays, joinApp } from "./testing/peer.ts";
import { type RedisServer, startRedis } from "./testing/redis-server.ts";

let redis: RedisServer;
const instances: { relay: Relay; server: ReturnType<typeof Bun.serve>; base: string; dir: string }[] = [];

async function instance(oidc?: TestIssuer, zone?: string) {
  const dir = mkdtempSync(join(tmpdir(), "brewos-relay-cluster-"));
  const accounts = oidc ? { oidc: { issuers: [oidc.issuer], audience: TEST_AUDIENCE, jwksUrl: oidc.jwksUrl } } : {};
  const relay = new Relay({ dataDir: dir, cluster: new Cluster(redis.url), ...accounts, ...(zone ? { zone } : {}) });
  await relay.start();
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: relay.fetch, websocket: relay.websocket });
  const i = { relay, server, base: `ws://127.0.0.1:${server.port}`, dir };
  instances.push(i);
  return i;
}

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  for (const i of instances) {
    i.relay.stop();
    i.server.stop(true);
    rmSync(i.dir, { recursive: true, force: true });
  }
  await redis?.stop();
});

const appKeys = keyPair();
const appId = idForPublicKey(appKeys.publicKey);
const inAMinute = () => Date.now() + 60_000;

describe("two relay instances on Redis", () => {
  test("a hub's ACME challenge value published at A is answered by B's DNS too, and cleared there", async () => {
    const zone = "home.brewos.test";
    const [a, b] = [await instance(undefined, zone), await instance(undefined, zone)];
    const { hub, id } = await connectHub(a.base);
    const name = acmeChallengeName(id, zone);
    const value = "c".repeat(43);
    hub.send({ type: "dns_txt", id: "1", name, value });
    await hub.until("published", () => hub.text.find((m) => m.type === "dns_txt_result")?.ok === true);
    await until("B mirrors it", () => b.relay.txt.lookup(name)[0] === value, 5000);
    hub.send({ type: "dns_txt_clear" });
    await until("B drops it", () => b.relay.txt.lookup(name).length === 0, 5000);
    hub.ws.close();
  });

  test("a hub on A, its app on B: frames cross both ways; ends, leaving and moving reach the other side", async () => {
    const a = await instance();
    const b = await instance();
    const { hub, keys, id } = await connectHub(a.base);
    const ticket = () => issueTicket({ hub: id, app: appId, exp: inAMinute() }, signerFor(keys));
    expect(b.relay.registry.publicKey(id)).toBeNull(); // B has never seen this hub

    const app = await joinApp(b.base, ticket(), appKeys);
    await app.message("joined");
    expect((await hub.message("session_open")).app_id).toBe(appId);
    const session = await expectFramesBothWays(hub, app);

    // The hub ends it (the app was revoked): the app on B is closed with the hub's code.
    hub.send({ type: "close_session", session, revoked: true });
    expect((await app.closedWith()).code).toBe(RELAY_CLOSE.ended_by_hub);

    // The app on B leaves: the hub on A is told.
    const second = await joinApp(b.base, ticket(), appKeys);
    await second.message("joined");
    const s2 = await hub.until("a second session", () => hub.text.filter((m) => m.type === "session_open")[1]);
    second.ws.close();
    const left = await hub.until("session_closed", () => hub.text.find((m) => m.type === "session_closed"));
    expect(left.session).toBe(s2.session);

    // The hub leaves A: its app on B is closed as "hub offline"; a new app on B is refused so.
    const third = await joinApp(b.base, ticket(), appKeys);
    await third.message("joined");
    await hub.until("a third session", () => hub.text.filter((m) => m.type === "session_open")[2]);
    hub.ws.close();
    expect((await third.closedWith()).code).toBe(RELAY_CLOSE.hub_offline);
    await until("A lets the hub go in Redis", () => a.relay.health().hubs_online === 0, 3000);
    const late = await joinApp(b.base, ticket(), appKeys);
    expect((await late.closedWith()).code).toBe(RELAY_CLOSE.hub_offline);

    // Back on A, then on B: A's socket is replaced (one hub, one socket, cluster-wide).
    const onA = await connectHub(a.base, keys);
    await connectHub(b.base, keys);
    expect((await onA.hub.closedWith()).code).toBe(RELAY_CLOSE.replaced);
    console.log(
      `relay cluster: a hub on A and its app on B over Redis — frames both ways, revoke 4403, leave → session_closed, hub gone → 4404, moved → 4409`,
    );
  }, 30_000);

  test("a real hub on A and its app on B: the end-to-end channel and the hub's /ws conversation across instances", async () => {
    const a = await instance();
    const b = await instance();
    const h = await hubOnDisk({ relayUrl: `${a.base}/hub` });
    try {
      await until("the hub on instance A", () => h.server.relay?.health().state === "up", 5000);
      const keys = keyPair();
      const me = { ...keys, id: idForPublicKey(keys.publicKey) };
      h.hub.auth.apps.add(keys.publicKey, "Phone on instance B");
      const t = h.server.relay?.ticketFor(me.id);
      if (!t) throw new Error("no relay link");
      const heard: Record<string, unknown>[] = [];
      let opened = false;
      const ws = new WebSocket(`${b.base}/app`);
      ws.binaryType = "arraybuffer";
      const channel = new AppChannel({
        ticket: t.ticket,
        app: me,
        hub: { publicKey: h.hub.auth.identity.publicKey, id: t.hub_id },
        send: (d) => ws.send(d),
        onOpen: () => {
          opened = true;
        },
        onMessage: (text) => heard.push(JSON.parse(text) as Record<string, unknown>),
        onFail: (why) => heard.push({ failed: why }),
      });
      ws.addEventListener("message", (e) => channel.receive(typeof e.data === "string" ? e.data : new Uint8Array(e.data as ArrayBuffer)));
      await until("the channel open through A and B", () => opened, 5000);
      await until("the snapshot", () => heard.some((m) => m.type === "snapshot"), 5000);
      channel.sendText(JSON.stringify({ type: "http", id: "r1", method: "GET", path: "/api/pairing/apps" }));
      const answer = await until("REST across instances", () => heard.find((m) => m.id === "r1"), 5000);
      expect(answer).toMatchObject({ type: "http_result", status: 200 });
      expect(heard.some((m) => "failed" in m)).toBe(false);
      ws.close();
    } finally {
      await h.stop();
    }
  }, 30_000);

  test("accounts across instances: a machine claimed at A is listed, online, by a phone asking B", async () => {
    const oidc = await startIssuer();
    try {
      const a = await instance(oidc);
      const b = await instance(oidc);
      const { hub, keys, id } = await connectHub(a.base);
      const claim = issueClaim({ hub: id, iss: oidc.issuer, sub: "anna", name: "Kitchen", at_ms: Date.now() }, signerFor(keys));
      const account = (i: { base: string }, path: string, init: RequestInit = {}) =>
        oidc.idToken("anna").then((t) =>
          fetch(`${i.base.replace("ws", "http")}/api/account${path}`, {
            ...init,
            headers: { authorization: `Bearer ${t}`, "content-type": "application/json" },
          }),
        );
      expect((await account(a, "/claims", { method: "POST", body: JSON.stringify({ claim }) })).status).toBe(200);
      const onB = (await (await account(b, "/devices")).json()) as { devices: Record<string, unknown>[] };
      expect(onB.devices).toEqual([{ hub_id: id, name: "Kitchen", claimed_at_ms: expect.any(Number), online: true }]);
      expect((await account(b, `/devices/${id}`, { method: "DELETE" })).status).toBe(200);
      expect(((await (await account(a, "/devices")).json()) as { devices: unknown[] }).devices).toEqual([]);
      hub.ws.close();
    } finally {
      oidc.stop();
    }
  });
});
