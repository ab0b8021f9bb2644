/**
 * Remote access end to end with real servers on 127.0.0.1: the relay, and a hub (SQLite on disk)
 * that dials it. A paired app gets a ticket from the hub's API, joins at the relay, runs the
 * end-to-end handshake with the hub's key from pairing, and then speaks the hub's ordinary /ws
 * protocol inside sealed frames — the snapshot arrives, a resync is answered. Revoking the app on
 * the hub ends its remote session at once. A relay restart is redialled.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { idForPublicKey, keyPair, PairingError, pairWithHub, parsePairingLink, signIn, verify } from "@brewos/protocol/auth";
import { MAX_FRAME_BYTES, PAIRING_SESSIONS_PER_MINUTE, RELAY_CLOSE } from "@brewos/protocol/relay";
import { readClaim } from "@brewos/protocol/relay/account-claim";
import { AppChannel } from "@brewos/protocol/relay/app-channel";
import { openPairingSession, PairingSessionError } from "@brewos/protocol/relay/pairing-session";
import { formatHlc, uuidv7 } from "@brewos/protocol/sync";
import { Relay } from "../../../relay/src/relay.ts";
import { hubOnDisk } from "../testing/hub-on-disk.ts";
import { until } from "../testing/until.ts";

const relayDir = mkdtempSync(join(tmpdir(), "brewos-relay-hub-"));
let relay: Relay;
let relayServer: ReturnType<typeof Bun.serve>;
let relayPort = 0;
let h: Awaited<ReturnType<typeof hubOnDisk>>;

function startRelay(port = 0) {
  relay = new Relay({ dataDir: relayDir });
  relayServer = Bun.serve({ hostname: "127.0.0.1", port, fetch: relay.fetch, websocket: relay.websocket });
  relayPort = relayServer.port ?? 0;
}

beforeAll(async () => {
  startRelay();
  h = await hubOnDisk({ relayUrl: `ws://127.0.0.1:${relayPort}/hub` });
  await until("the hub on the relay", () => h.server.relay?.health().state === "up", 5000);
});

afterAll(async () => {
  await h?.stop();
  relay?.stop();
  relayServer?.stop(true);
  rmSync(relayDir, { recursive: true, force: true });
});

/** A phone away from home: its socket to the relay and the sealed channel to its hub. */
class RemoteApp {
  readonly ws: WebSocket;
  readonly plain: Record<string, unknown>[] = [];
  closed: { code: number; reason: string } | null = null;
  failed: string | null = null;
  private readonly channel: AppChannel;
  private opened = false;

  constructor(url: string, ticket: string, me: ReturnType<typeof keyPair> & { id: string }, hub: { publicKey: Uint8Array; id: string }) {
    this.ws = new WebSocket(url);
    this.ws.binaryType = "arraybuffer";
    this.channel = new AppChannel({
      ticket,
      app: me,
      hub,
      send: (d) => this.ws.send(d),
      onOpen: () => {
        this.opened = true;
      },
      onMessage: (text) => this.plain.push(JSON.parse(text) as Record<string, unknown>),
      onFail: (why) => {
        this.failed = why;
      },
    });
    this.ws.addEventListener("message", (e) =>
      this.channel.receive(typeof e.data === "string" ? e.data : new Uint8Array(e.data as ArrayBuffer)),
    );
    this.ws.addEventListener("close", (e) => {
      this.closed = { code: e.code, reason: e.reason };
    });
  }

  async ready(): Promise<void> {
    await until("the sealed channel", () => this.opened, 5000);
  }

  send(m: unknown): void {
    if (!this.channel.sendText(JSON.stringify(m))) throw new Error("no channel yet");
  }

  /** A REST request carried by the channel; its answer. */
  async rest(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const id = `r${Math.random()}`;
    this.send({ type: "http", id, method, path, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return until("the REST answer", () => this.plain.find((m) => m.id === id), 10_000);
  }
}

describe("remote access through the relay", () => {
  test("a paired app gets a ticket, joins, and speaks the hub's /ws protocol end to end; revoking it ends the session", async () => {
    const keys = keyPair();
    const me = { ...keys, id: idForPublicKey(keys.publicKey) };
    h.hub.auth.apps.add(keys.publicKey, "Phone away from home");
    // Only a paired app gets a ticket (the loopback kiosk is refused one).
    expect(
      (await fetch(`${h.base}/api/remote/ticket`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status,
    ).toBe(403);
    const { token } = await signIn({ base: h.base, keys });
    const r = await fetch(`${h.base}/api/remote/ticket`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: "{}",
    });
    expect(r.status).toBe(200);
    const t = (await r.json()) as { relay_url: string; ticket: string; hub_id: string; exp_ms: number };
    expect(t).toMatchObject({ relay_url: `ws://127.0.0.1:${relayPort}/app`, hub_id: h.hub.auth.identity.deviceId });

    // A claim for the phone's signed-in account, signed by the hub (the relay checks both).
    const claimed = await fetch(`${h.base}/api/remote/claim`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ iss: "https://accounts.google.com", sub: "1234567890" }),
    });
    const claim = readClaim(((await claimed.json()) as { claim: string }).claim);
    expect(claim.ok && claim.claim).toMatchObject({ hub: t.hub_id, iss: "https://accounts.google.com", sub: "1234567890" });
    if (claim.ok) expect(verify(claim.signature, claim.signed, h.hub.auth.identity.publicKey)).toBe(true);

    const app = new RemoteApp(t.relay_url, t.ticket, me, { publicKey: h.hub.auth.identity.publicKey, id: t.hub_id });
    await app.ready();
    await until("the snapshot, sealed", () => app.plain.some((m) => m.type === "snapshot"), 5000);
    expect(app.plain.find((m) => m.type === "next_shot")).toBeTruthy();
    const before = app.plain.filter((m) => m.type === "snapshot").length;
    app.send({ type: "resync" });
    await until("a resync answered", () => app.plain.filter((m) => m.type === "snapshot").length > before, 5000);
    expect(h.server.relay?.health().sessions).toBe(1);

    // REST through the channel, run as this app: a read, a change, and one that is refused.
    const shots = await app.rest("GET", "/api/shots?limit=5");
    expect(shots).toMatchObject({ type: "http_result", status: 200, content_type: expect.stringContaining("application/json") });
    expect(JSON.parse(String(shots.body))).toHaveProperty("shots");
    const apps = JSON.parse(String((await app.rest("GET", "/api/pairing/apps")).body)) as { apps: { id: string; this_app: boolean }[] };
    expect(apps.apps.find((a) => a.this_app)?.id).toBe(me.id); // the hub knows who is asking
    const bad = await app.rest("PUT", "/api/next-shot", { dose_g: "lots" });
    expect(bad.status).toBe(400);
    expect((await app.rest("GET", "/api/../ws")).code).toBe("invalid_http");
    // Messages larger than one relay frame (64 KiB) cross in pieces, both ways: a shot timed with
    // the phone's scale, 6 000 points of weight curve (~100 KB) pushed, then pulled back.
    {
      app.send({ type: "sync_hello", v: 1, node_id: "5555555555555555", schema_version: 1, cursor: 0 });
      await until("sync_welcome", () => app.plain.some((m) => m.type === "sync_welcome"), 5000);
      const points = 6000;
      const curve = {
        t_s: Array.from({ length: points }, (_, i) => Math.round(i * 9.9) / 100),
        g: Array.from({ length: points }, (_, i) => Math.round(i * 6.1) / 1000),
      };
      const shotId = uuidv7();
      const push = {
        type: "sync_push",
        v: 1,
        mutations: [
          {
            mutation_id: 1,
            shot_id: shotId,
            fields: { yield_g: [36.6, formatHlc({ millis: Date.now(), counter: 0, node: "5555555555555555" })] },
            create: { started_at_ms: Date.now() - 60_000, duration_ms: 59_500, weight_curve: curve },
          },
        ],
      };
      expect(JSON.stringify(push).length).toBeGreaterThan(MAX_FRAME_BYTES);
      app.send(push);
      const ack = await until("sync_ack", () => app.plain.find((m) => m.type === "sync_ack"), 5000);
      expect(ack).toMatchObject({ last_mutation_id: 1, rejected: [] });
      app.send({ type: "sync_pull", v: 1, since: 0, limit: 100 });
      const changes = await until("sync_changes", () => app.plain.find((m) => m.type === "sync_changes"), 5000);
      expect(JSON.stringify(changes).length).toBeGreaterThan(MAX_FRAME_BYTES);
      expect((changes.rows as { id: string; weight_curve?: unknown }[]).find((r) => r.id === shotId)?.weight_curve).toEqual(curve);
    }
    expect(app.failed).toBeNull();

    h.hub.auth.apps.revoke(me.id);
    await until("the remote session ended", () => app.closed !== null, 5000);
    expect(app.closed?.code).toBe(RELAY_CLOSE.ended_by_hub);
    await until("no sessions left", () => h.server.relay?.health().sessions === 0, 3000);
  });

  test("a phone away from home pairs through the relay with an invite, and only that way", async () => {
    // No relay configured: no away invite.
    const alone = await hubOnDisk();
    const none = await fetch(`${alone.base}/api/pairing/code`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ away: true }),
    });
    expect(none.status).toBe(409);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe("no_relay");
    await alone.stop();

    const invite = async () => {
      const r = await fetch(`${h.base}/api/pairing/code`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ away: true }),
      });
      expect(r.status).toBe(200);
      const j = (await r.json()) as { link: string; typed_code: string; away: boolean };
      expect(j.away).toBe(true);
      expect(j.link.startsWith(`http://127.0.0.1:${relayPort}/pair#`)).toBe(true); // opened at the relay's origin
      const offer = parsePairingLink(j.link);
      if (!offer?.relayUrl) throw new Error(`not an away invite: ${j.link}`);
      expect(offer.relayUrl).toBe(`ws://127.0.0.1:${relayPort}/app`);
      return { offer, typed: j.typed_code };
    };
    const pairAway = async (secret: string, via: "qr" | "typed", keys = keyPair()) => {
      const { offer } = await invite();
      const session = await openPairingSession(offer.relayUrl as string, offer.deviceId);
      try {
        const paired = await pairWithHub({
          base: "",
          fetch: session.fetch,
          keys,
          name: "Phone at work",
          secret,
          via,
          expectHubKey: offer.hubPublicKey,
        });
        return { paired, ticket: await session.ticket, keys };
      } finally {
        session.close();
      }
    };
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: Error) => e,
      );

    // The typed code is not heard away from home (40 bits), nor a wrong secret; neither pairs or gets a ticket.
    const { offer, typed } = await invite();
    const apps = h.hub.auth.apps.count;
    const typedTry = await failure(pairAway(typed, "typed"));
    expect(typedTry).toBeInstanceOf(PairingError);
    expect((typedTry as PairingError).status).toBe(403);
    const wrong = await failure(pairAway("A".repeat(22), "qr"));
    expect((wrong as PairingError).status).toBe(401);
    expect(h.hub.auth.apps.count).toBe(apps);

    // A pairing session carries the two pairing requests only: anything else ends it.
    const nosy = await openPairingSession(offer.relayUrl as string, offer.deviceId);
    const read = await failure(nosy.fetch("/api/state", { method: "GET" }));
    expect(read).toBeInstanceOf(PairingSessionError);
    expect((read as PairingSessionError).code).toBe(RELAY_CLOSE.session_ended);

    // The invite's secret pairs, and the hub's first ticket opens the sealed channel at once.
    const { offer: fresh } = await invite();
    const ok = await pairAway(fresh.secret, "qr");
    expect(ok.paired.appId).toBe(idForPublicKey(ok.keys.publicKey));
    expect(h.hub.auth.apps.list().find((a) => a.id === ok.paired.appId)?.name).toBe("Phone at work");
    expect(ok.ticket).toMatchObject({ type: "remote_ticket", relay_url: `ws://127.0.0.1:${relayPort}/app`, hub_id: fresh.deviceId });
    const app = new RemoteApp(
      ok.ticket.relay_url,
      ok.ticket.ticket,
      { ...ok.keys, id: ok.paired.appId },
      {
        publicKey: fresh.hubPublicKey,
        id: fresh.deviceId,
      },
    );
    await app.ready();
    await until("the snapshot, sealed", () => app.plain.some((m) => m.type === "snapshot"), 5000);
    app.ws.close();

    // A hub the relay does not know, and a flood of pairing sessions for one hub, are refused.
    const unknown = await failure(openPairingSession(`ws://127.0.0.1:${relayPort}/app`, idForPublicKey(keyPair().publicKey)));
    expect((unknown as PairingSessionError).code).toBe(RELAY_CLOSE.hub_offline);
    let refused: PairingSessionError | null = null;
    for (let i = 0; i <= PAIRING_SESSIONS_PER_MINUTE && !refused; i++) {
      try {
        (await openPairingSession(offer.relayUrl as string, offer.deviceId)).close();
      } catch (e) {
        refused = e as PairingSessionError;
      }
    }
    expect(refused?.code).toBe(RELAY_CLOSE.too_fast);
  });

  test("the relay restarts: the hub dials it again by itself", async () => {
    relay.stop();
    relayServer.stop(true);
    await until("the hub sees the relay gone", () => h.server.relay?.health().state !== "up", 5000);
    const started = Date.now();
    startRelay(relayPort);
    await until("the hub back on the relay", () => h.server.relay?.health().state === "up", 10000);
    console.log(`relay restart: the hub was back on it ${Date.now() - started} ms after the relay came up`);
  }, 20000);
});
