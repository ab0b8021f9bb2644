/**
 * @module The relay: hubs dial in and prove their key (`/hub`), apps join a hub with a ticket that
 * hub signed (`/app`), and binary frames pass between them untouched (protocol/relay has the wire
 * format). Every socket has a hello deadline, a frame-size cap, a frame-rate budget and a check on
 * every send (Bun drops what it cannot buffer: a reader that slow is closed). `/health` and
 * `/metrics` (Prometheus text) for operators. Routing is in memory; one instance needs nothing else.
 */
import { ID_PATTERN } from "@brewos/protocol/auth";
import {
  appProofMessage,
  HELLO_TIMEOUT_MS,
  hubProofMessage,
  MAX_FRAME_BYTES,
  RELAY_CLOSE,
  RELAY_VERSION,
  readKeyProof,
  readTicket,
  SESSION_PREFIX_BYTES,
  sessionOf,
  withSession,
} from "@brewos/protocol/relay";
import { StaticApp } from "@brewos/pwa/serve";
import type { Server, ServerWebSocket } from "bun";
import { type Context, Hono } from "hono";
import { Accounts, accountRoutes, type OidcConfig, sqliteClaims } from "./accounts.ts";
import type { Cluster, ClusterControl } from "./cluster.ts";
import { TxtRecords } from "./dns/txt-records.ts";
import { verifyNative } from "./ed25519.ts";
import { newSession, parseJson } from "./messages.ts";
import { metricsText, type RelayCounters } from "./metrics.ts";
import { PairingLimit } from "./pairing-limit.ts";
import { Registry } from "./registry.ts";

export interface RelayOptions {
  dataDir: string;
  now?: () => number;
  /** Frames a socket may send per second (sustained) and in a burst. */
  framesPerSecond?: number;
  burstFrames?: number;
  /** A reader with more than this buffered is too slow and is closed. */
  maxBufferedBytes?: number;
  /** Other instances of this relay, through Redis (none: this instance is the relay). */
  cluster?: Cluster;
  /** Accounts (OpenID Connect sign-in, device lists); none: off. */
  oidc?: OidcConfig;
  /** The built app (pwa/dist), served at this relay's origin for phones away from home; none: not served. */
  appDir?: string;
  /** The DNS zone whose names this relay gives hubs for HTTPS at home (docs/lan-https.md); none: off. */
  zone?: string;
}

interface Conn {
  role: "hub" | "app";
  ready: boolean;
  /** Its hello is being checked; nothing else may come until it is answered. */
  verifying?: boolean;
  nonce?: string;
  hubId?: string;
  /** An app's: the paired app its ticket names (null: an app pairing away from home). */
  appId?: string | null;
  /** An app's pairing session (no ticket, plain pairing messages only; docs/remote.md). */
  pairing?: boolean;
  session?: number;
  /** An app's whose hub is connected to another instance: that instance. */
  remote?: string;
  helloTimer?: ReturnType<typeof setTimeout>;
  tokens: number;
  refilledAt: number;
}

type Sock = ServerWebSocket<Conn>;
/** An app as its hub's side sees it: a socket here, or one on another instance. */
interface AppEnd {
  data: Pick<Conn, "appId" | "pairing">;
  readyState: number;
  send(frame: Uint8Array): number;
  close(code?: number, reason?: string): void;
  getBufferedAmount(): number;
}

export class Relay {
  readonly registry: Registry;
  private readonly hubs = new Map<string, { ws: Sock; sessions: Map<number, AppEnd> }>();
  /** Sessions of local hubs whose apps are on other instances: session → hub id. */
  private readonly remoteSessions = new Map<number, string>();
  /** Apps here whose hubs are on other instances: session → socket. */
  private readonly remoteApps = new Map<number, Sock>();
  private readonly cluster: Cluster | null;
  private readonly now: () => number;
  private readonly rate: number;
  private readonly burst: number;
  private readonly maxBuffered: number;
  private readonly pairings = new PairingLimit();
  readonly counters: RelayCounters = { frames_forwarded: 0, bytes_forwarded: 0, refused: new Map<string, number>() };
  readonly http = new Hono();
  /** ACME DNS-01 values the connected hubs published (answered by the zone's DNS). */
  readonly txt: TxtRecords;
  readonly zone: string | null;

  constructor(o: RelayOptions) {
    this.registry = new Registry(o.dataDir);
    this.now = o.now ?? Date.now;
    this.rate = o.framesPerSecond ?? 200;
    this.burst = o.burstFrames ?? 400;
    this.maxBuffered = o.maxBufferedBytes ?? 1024 * 1024;
    this.cluster = o.cluster ?? null;
    this.zone = o.zone ?? null;
    this.txt = new TxtRecords(this.zone, this.now);
    if (this.cluster && this.zone) this.txt.onChange = (name, values) => this.cluster?.control("all", { t: "txt", name, values });
    this.http.get("/health", (c) => c.json({ ok: true, version: RELAY_VERSION, ...this.health() }));
    this.http.get("/metrics", (c) =>
      c.text(
        metricsText({ hubsOnline: this.hubs.size, appsOnline: this.appCount(), hubsKnown: this.registry.count() }, this.counters),
        200,
        { "content-type": "text/plain; version=0.0.4" },
      ),
    );
    if (o.oidc) {
      const store = this.cluster ? this.cluster.claims() : sqliteClaims(this.registry.db);
      const accounts = new Accounts(store, o.oidc, (id) => this.hubKey(id));
      const online = async (id: string) => this.hubs.has(id) || Boolean(await this.cluster?.whereIs(id).catch(() => null));
      this.http.route("/api/account", accountRoutes(accounts, online, this.now));
    }
    // The app at the relay's own origin: its storage and keys stay apart from the LAN origin's, and
    // it reaches the machine only through the end-to-end channel (docs/remote.md).
    const site = o.appDir ? new StaticApp(o.appDir) : null;
    const notFound = (c: Context) => c.json({ error: { code: "not_found", message: `no file ${c.req.path}` } }, 404);
    // No machine API lives here: the app's requests for one get a plain 404, never the app's page.
    if (site?.built)
      this.http.get("*", (c) => (/^\/(api|ws)(\/|$)/.test(c.req.path) ? notFound(c) : (site.serve(c.req.raw) ?? notFound(c))));
  }

  /** For Bun.serve: upgrades /hub and /app, everything else is HTTP. */
  fetch = (req: Request, server: Server<Conn>): Response | Promise<Response> | undefined => {
    const path = new URL(req.url).pathname;
    if (path === "/hub" || path === "/app") {
      const conn: Conn = { role: path === "/hub" ? "hub" : "app", ready: false, tokens: this.burst, refilledAt: this.now() };
      if (server.upgrade(req, { data: conn })) return undefined;
      return new Response("a WebSocket is expected here", { status: 426 });
    }
    return this.http.fetch(req);
  };

  readonly websocket = {
    maxPayloadLength: MAX_FRAME_BYTES,
    idleTimeout: 120,
    open: (ws: Sock) => this.open(ws),
    message: (ws: Sock, data: string | Buffer) => this.message(ws, data),
    close: (ws: Sock) => this.closed(ws),
  };

  health(): { hubs_online: number; apps_online: number; instance: string | null; redis_error: string | null } {
    return {
      hubs_online: this.hubs.size,
      apps_online: this.appCount(),
      instance: this.cluster?.instance ?? null,
      redis_error: this.cluster?.lastError ?? null,
    };
  }

  /** Join the other instances (with a cluster; nothing to do without). */
  async start(): Promise<void> {
    await this.cluster?.start(
      {
        toHub: (session, hubFrame) => {
          const hub = this.hubs.get(this.remoteSessions.get(session) ?? "");
          if (hub && hubFrame.length <= MAX_FRAME_BYTES) this.forward(hub.ws, hubFrame);
        },
        toApp: (session, payload) => {
          const app = this.remoteApps.get(session);
          if (app) this.forward(app, payload);
        },
        control: (m) => this.fromInstance(m),
      },
      () => this.hubs.keys(),
    );
  }

  stop(): void {
    for (const h of this.hubs.values()) h.ws.close(1001, "the relay is stopping");
    for (const a of this.remoteApps.values()) a.close(1001, "the relay is stopping");
    void this.cluster?.stop();
    this.registry.close();
  }

  private open(ws: Sock): void {
    const c = ws.data;
    c.helloTimer = setTimeout(() => this.refuse(ws, RELAY_CLOSE.no_hello, "no hello in time"), HELLO_TIMEOUT_MS);
    c.nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
    ws.send(JSON.stringify({ type: "challenge", v: RELAY_VERSION, nonce: c.nonce }));
  }

  private message(ws: Sock, data: string | Buffer): undefined {
    const c = ws.data;
    if (!this.spend(c)) return this.refuse(ws, RELAY_CLOSE.too_fast, "too many frames");
    if (!c.ready) return this.hello(ws, data);
    if (typeof data === "string") {
      if (c.role === "hub") return this.hubControl(ws, data);
      return this.refuse(ws, RELAY_CLOSE.bad_frame, "frames are binary");
    }
    const frame: Uint8Array = data;
    if (c.role === "app") {
      if (frame.length + SESSION_PREFIX_BYTES > MAX_FRAME_BYTES) return this.refuse(ws, RELAY_CLOSE.bad_frame, "frame too large");
      if (c.remote && c.session !== undefined) {
        this.cluster?.toHub(c.remote, c.session, frame);
        this.count(frame.length);
        return;
      }
      const hub = c.hubId ? this.hubs.get(c.hubId) : undefined;
      if (!hub || c.session === undefined) return this.refuse(ws, RELAY_CLOSE.hub_offline, "the hub went away");
      this.forward(hub.ws, withSession(c.session, frame));
      return;
    }
    const session = sessionOf(frame);
    const app = session >= 0 && c.hubId ? this.hubs.get(c.hubId)?.sessions.get(session) : undefined;
    if (!app) return; // a session that just ended: its frames have nowhere to go
    this.forward(app, frame.subarray(SESSION_PREFIX_BYTES));
  }

  /**
   * A hello: checked with the platform's native Ed25519 (a connect storm is bound by it). A hub
   * proves its key; an app shows its hub's ticket and proves it holds the key the ticket names.
   */
  private hello(ws: Sock, data: string | Buffer): undefined {
    const c = ws.data;
    if (c.verifying) return this.refuse(ws, RELAY_CLOSE.no_hello, "wait for the answer to your hello");
    const m = typeof data === "string" ? parseJson(data) : null;
    if (c.role === "hub") {
      if (m?.type !== "hub_hello" || !c.nonce) return this.refuse(ws, RELAY_CLOSE.no_hello, "say hub_hello first");
      const proof = readKeyProof(m);
      if (!proof) return this.refuse(ws, RELAY_CLOSE.refused, "the proof did not verify");
      c.verifying = true;
      void verifyNative(proof.signature, hubProofMessage(c.nonce), proof.publicKey).then((ok) => {
        c.verifying = false;
        if (ws.readyState !== 1) return;
        if (!ok) return this.refuse(ws, RELAY_CLOSE.refused, "the proof did not verify");
        this.hubReady(ws, proof.id, proof.publicKey);
      });
      return;
    }
    if (m?.type === "pair_hello" && c.nonce) return this.pairHello(ws, m.hub_id);
    if (m?.type !== "app_hello" || typeof m.ticket !== "string" || !c.nonce)
      return this.refuse(ws, RELAY_CLOSE.no_hello, "say app_hello with a ticket first");
    const t = readTicket(m.ticket, this.now());
    if (!t.ok) return this.refuse(ws, RELAY_CLOSE.refused, `ticket refused: ${t.why}`);
    const proof = readKeyProof(m);
    if (!proof || proof.id !== t.claims.app) return this.refuse(ws, RELAY_CLOSE.refused, "ticket refused: not this app's key");
    c.verifying = true;
    const nonce = c.nonce;
    void (async () => {
      const pk = await this.hubKey(t.claims.hub);
      if (!pk) {
        c.verifying = false;
        return this.refuse(ws, RELAY_CLOSE.refused, "ticket refused: no such hub");
      }
      const [hubSigned, appProved] = await Promise.all([
        verifyNative(t.signature, t.signed, pk),
        verifyNative(proof.signature, appProofMessage(nonce), proof.publicKey),
      ]);
      c.verifying = false;
      if (ws.readyState !== 1) return;
      if (!hubSigned) return this.refuse(ws, RELAY_CLOSE.refused, "ticket refused: bad signature");
      if (!appProved) return this.refuse(ws, RELAY_CLOSE.refused, "ticket refused: the app's proof did not verify");
      await this.appJoined(ws, t.claims.hub, t.claims.app);
    })();
    return;
  }

  /**
   * An app with no keys yet asks to pair with a hub it was invited to: a known hub, a few times a
   * minute at most; the session carries only what the hub's pairing answers (docs/remote.md).
   */
  private pairHello(ws: Sock, hubId: unknown): undefined {
    if (typeof hubId !== "string" || !ID_PATTERN.test(hubId)) return this.refuse(ws, RELAY_CLOSE.no_hello, "pair_hello names a hub_id");
    if (!this.pairings.allow(hubId, this.now()))
      return this.refuse(ws, RELAY_CLOSE.too_fast, "too many pairing attempts for this hub; wait a minute");
    ws.data.verifying = true;
    void this.appJoined(ws, hubId, null).finally(() => {
      ws.data.verifying = false;
    });
    return undefined;
  }

  /** What the hub is told of a new session. */
  private sessionOpen(session: number, app: Pick<Conn, "appId" | "pairing">): string {
    return JSON.stringify({
      type: "session_open",
      v: RELAY_VERSION,
      session,
      app_id: app.appId ?? null,
      ...(app.pairing ? { pairing: true } : {}),
    });
  }

  private hubReady(ws: Sock, id: string, publicKey: Uint8Array): void {
    const c = ws.data;
    clearTimeout(c.helloTimer);
    c.ready = true;
    c.hubId = id;
    this.registry.seen(id, publicKey, this.now());
    void this.cluster?.hubHere(id, publicKey).catch(() => undefined);
    const old = this.hubs.get(id);
    this.hubs.set(id, { ws, sessions: old?.sessions ?? new Map() });
    if (old) old.ws.close(RELAY_CLOSE.replaced, "the same hub connected again");
    ws.send(JSON.stringify({ type: "ready", v: RELAY_VERSION, hub_id: id, ...(this.zone ? { dns_zone: this.zone } : {}) }));
    // Apps that were joined to the old socket are the new one's now.
    for (const [session, app] of this.hubs.get(id)?.sessions ?? []) ws.send(this.sessionOpen(session, app.data));
  }

  /** Join an app to its hub (`appId` null: a pairing session). */
  private async appJoined(ws: Sock, hubId: string, appId: string | null): Promise<undefined> {
    const c = ws.data;
    const hub = this.hubs.get(hubId);
    if (!hub) return this.joinElsewhere(ws, hubId, appId);
    clearTimeout(c.helloTimer);
    c.ready = true;
    c.hubId = hubId;
    c.session = newSession((id) => hub.sessions.has(id));
    c.appId = appId;
    c.pairing = appId === null;
    hub.sessions.set(c.session, ws);
    hub.ws.send(this.sessionOpen(c.session, c));
    ws.send(JSON.stringify({ type: "joined", v: RELAY_VERSION, hub_id: hubId, ...(c.pairing ? { pairing: true } : {}) }));
    return undefined;
  }

  /** The hub is on another instance (or nowhere): join it there through the cluster. */
  private async joinElsewhere(ws: Sock, hubId: string, appId: string | null): Promise<undefined> {
    const c = ws.data;
    const there = await this.cluster?.whereIs(hubId).catch(() => null);
    if (ws.readyState !== 1) return;
    if (!this.cluster || !there || there === this.cluster.instance)
      return this.refuse(ws, RELAY_CLOSE.hub_offline, "the hub is not connected");
    clearTimeout(c.helloTimer);
    c.ready = true;
    c.hubId = hubId;
    c.appId = appId;
    c.pairing = appId === null;
    c.remote = there;
    c.session = newSession((id) => this.remoteApps.has(id));
    this.remoteApps.set(c.session, ws);
    this.cluster.control(there, { t: "open", hub: hubId, session: c.session, app_id: appId, from: this.cluster.instance });
    ws.send(JSON.stringify({ type: "joined", v: RELAY_VERSION, hub_id: hubId, ...(c.pairing ? { pairing: true } : {}) }));
    return;
  }

  /** What another instance says about a session or a hub. */
  private fromInstance(m: ClusterControl): void {
    const cluster = this.cluster;
    if (!cluster) return;
    if (m.t === "open") {
      const hub = this.hubs.get(m.hub);
      if (!hub || hub.sessions.has(m.session) || this.remoteSessions.has(m.session)) {
        cluster.control(m.from, { t: "end", session: m.session, code: RELAY_CLOSE.hub_offline, reason: "the hub is not connected" });
        return;
      }
      const session = m.session;
      const app: AppEnd = {
        data: { appId: m.app_id, pairing: m.app_id === null },
        readyState: 1,
        getBufferedAmount: () => 0,
        send: (frame) => {
          cluster.toApp(m.from, session, frame);
          return 1;
        },
        close: (code?: number, reason?: string) => {
          this.remoteSessions.delete(session);
          cluster.control(m.from, { t: "end", session, code: code ?? RELAY_CLOSE.session_ended, reason: reason ?? "" });
        },
      };
      this.remoteSessions.set(session, m.hub);
      hub.sessions.set(session, app);
      hub.ws.send(this.sessionOpen(session, app.data));
    } else if (m.t === "closed") {
      const hubId = this.remoteSessions.get(m.session);
      this.remoteSessions.delete(m.session);
      const hub = hubId ? this.hubs.get(hubId) : undefined;
      if (hub?.sessions.delete(m.session)) hub.ws.send(JSON.stringify({ type: "session_closed", v: RELAY_VERSION, session: m.session }));
    } else if (m.t === "end") {
      const app = this.remoteApps.get(m.session);
      this.remoteApps.delete(m.session);
      app?.close(m.code, m.reason);
    } else if (m.t === "txt") {
      this.txt.mirror(m.name, m.values);
    } else if (m.t === "hub_moved" && m.to !== cluster.instance) {
      this.hubs.get(m.hub)?.ws.close(RELAY_CLOSE.replaced, "the same hub connected to another relay instance");
    }
  }

  /** A hub's public key: from this instance's registry, else the cluster's. */
  private async hubKey(id: string): Promise<Uint8Array | null> {
    return this.registry.publicKey(id) ?? (await this.cluster?.publicKey(id).catch(() => null)) ?? null;
  }

  private hubControl(ws: Sock, text: string): undefined {
    const m = parseJson(text);
    if (!m) return this.refuse(ws, RELAY_CLOSE.bad_frame, "control messages are JSON");
    if (m.type === "close_session" && typeof m.session === "number") {
      const hub = ws.data.hubId ? this.hubs.get(ws.data.hubId) : undefined;
      const app = hub?.sessions.get(m.session);
      if (app) {
        hub?.sessions.delete(m.session);
        if (m.revoked === true) app.close(RELAY_CLOSE.ended_by_hub, "this app was removed from the machine");
        else app.close(RELAY_CLOSE.session_ended, "the hub ended this session");
      }
      return;
    }
    if ((m.type === "dns_txt" || m.type === "dns_txt_clear") && ws.data.hubId) {
      // Only after the hub proved its key (c.ready), and only at that hub's own name.
      const hubId = ws.data.hubId;
      if (m.type === "dns_txt_clear") return void this.txt.clear(hubId, m.value);
      const r = this.txt.publish(hubId, m.name, m.value);
      if (!r.ok) this.counters.refused.set(`txt_${r.code}`, (this.counters.refused.get(`txt_${r.code}`) ?? 0) + 1);
      ws.send(JSON.stringify({ type: "dns_txt_result", v: RELAY_VERSION, id: m.id ?? null, ...r }));
      return;
    }
    this.refuse(ws, RELAY_CLOSE.bad_frame, "unknown control message");
  }

  private closed(ws: Sock): void {
    const c = ws.data;
    clearTimeout(c.helloTimer);
    if (!c.ready || !c.hubId) return;
    if (c.role === "app" && c.remote && c.session !== undefined) {
      if (this.remoteApps.get(c.session) === ws) {
        this.remoteApps.delete(c.session);
        this.cluster?.control(c.remote, { t: "closed", session: c.session });
      }
      return;
    }
    const hub = this.hubs.get(c.hubId);
    if (c.role === "app" && c.session !== undefined) {
      if (hub?.sessions.get(c.session) === ws) {
        hub.sessions.delete(c.session);
        hub.ws.send(JSON.stringify({ type: "session_closed", v: RELAY_VERSION, session: c.session }));
      }
      return;
    }
    if (hub?.ws !== ws) return; // replaced by a newer socket of the same hub
    this.hubs.delete(c.hubId);
    void this.cluster?.hubGone(c.hubId).catch(() => undefined);
    for (const app of hub.sessions.values()) app.close(RELAY_CLOSE.hub_offline, "the hub went away");
  }

  /** Send, or close a reader that cannot keep up (Bun drops what it cannot buffer). */
  private forward(to: AppEnd, frame: Uint8Array): undefined {
    if (to.getBufferedAmount() > this.maxBuffered) return this.refuse(to, RELAY_CLOSE.too_slow, "reading too slowly");
    const sent = to.send(frame);
    if (sent === 0) return this.refuse(to, RELAY_CLOSE.too_slow, "reading too slowly");
    this.count(frame.length);
  }

  private count(bytes: number): void {
    this.counters.frames_forwarded++;
    this.counters.bytes_forwarded += bytes;
  }

  private spend(c: Conn): boolean {
    const now = this.now();
    c.tokens = Math.min(this.burst, c.tokens + ((now - c.refilledAt) / 1000) * this.rate);
    c.refilledAt = now;
    if (c.tokens < 1) return false;
    c.tokens -= 1;
    return true;
  }

  /** Close with a documented code, counted by reason. */
  private refuse(ws: AppEnd, code: number, reason: string): undefined {
    const key = Object.entries(RELAY_CLOSE).find(([, v]) => v === code)?.[0] ?? String(code);
    this.counters.refused.set(key, (this.counters.refused.get(key) ?? 0) + 1);
    ws.close(code, reason);
    return undefined;
  }

  private appCount(): number {
    let n = 0;
    for (const h of this.hubs.values()) n += h.sessions.size;
    return n;
  }
}
