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
import { idForPublicKey, keyPair, signIn } from "@brewos/protocol/auth";
import { RELAY_CLOSE } from "@brewos/protocol/relay";
import { AppHandshake, type SecureSession } from "@brewos/protocol/relay/secure-channel";
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
  private channel: SecureSession | null = null;
  private handshake: AppHandshake;
  private readonly joined: Promise<void>;

  constructor(url: string, ticket: string, me: ReturnType<typeof keyPair> & { id: string }, hub: { publicKey: Uint8Array; id: string }) {
    this.handshake = new AppHandshake(me, hub);
    this.ws = new WebSocket(url);
    this.ws.binaryType = "arraybuffer";
    this.ws.addEventListener("open", () => this.ws.send(JSON.stringify({ type: "app_hello", v: 1, ticket })));
    this.joined = new Promise((resolve) =>
      this.ws.addEventListener("message", (e) => {
        if (typeof e.data === "string") {
          if (JSON.parse(e.data).type === "joined") {
            this.ws.send(this.handshake.hello());
            resolve();
          }
          return;
        }
        const frame = new Uint8Array(e.data as ArrayBuffer);
        if (!this.channel) {
          const { session, proof } = this.handshake.reply(frame);
          this.channel = session;
          this.ws.send(proof);
          return;
        }
        this.plain.push(JSON.parse(new TextDecoder().decode(this.channel.open(frame))) as Record<string, unknown>);
      }),
    );
    this.ws.addEventListener("close", (e) => {
      this.closed = { code: e.code, reason: e.reason };
    });
  }

  async ready(): Promise<void> {
    await this.joined;
    await until("the sealed channel", () => this.channel !== null, 5000);
  }

  send(m: unknown): void {
    if (!this.channel) throw new Error("no channel yet");
    this.ws.send(this.channel.seal(new TextEncoder().encode(JSON.stringify(m))));
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

    const app = new RemoteApp(t.relay_url, t.ticket, me, { publicKey: h.hub.auth.identity.publicKey, id: t.hub_id });
    await app.ready();
    await until("the snapshot, sealed", () => app.plain.some((m) => m.type === "snapshot"), 5000);
    expect(app.plain.find((m) => m.type === "next_shot")).toBeTruthy();
    const before = app.plain.filter((m) => m.type === "snapshot").length;
    app.send({ type: "resync" });
    await until("a resync answered", () => app.plain.filter((m) => m.type === "snapshot").length > before, 5000);
    expect(h.server.relay?.health().sessions).toBe(1);

    h.hub.auth.apps.revoke(me.id);
    await until("the remote session ended", () => app.closed !== null, 5000);
    expect(app.closed?.code).toBe(RELAY_CLOSE.ended_by_hub);
    await until("no sessions left", () => h.server.relay?.health().sessions === 0, 3000);
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
