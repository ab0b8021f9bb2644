/**
 * @module The hub's way out for remote access: it dials the relay, proves its identity key, and
 * for every app the relay joins to it runs the end-to-end handshake with that app's paired key.
 * An established session is one more /ws client of the hub — the same API and sync stream as on
 * the LAN — admitted as that paired app; closing it (a revoked app) ends the session at the relay.
 * Dropped links are redialled with backoff. Tickets for the hub's paired apps are signed here.
 */
import { type Signer, utf8 } from "@brewos/protocol/auth";
import { hubProof, issueTicket, RELAY_VERSION, splitSession, TICKET_MAX_LIFE_MS, withSession } from "@brewos/protocol/relay";
import { issueClaim } from "@brewos/protocol/relay/account-claim";
import { isZone } from "@brewos/protocol/relay/lan-names";
import { ChannelError } from "@brewos/protocol/relay/secure-channel";
import { SecureAppSession } from "../api/secure-app-session.ts";
import type { WsClients } from "../api/virtual-socket.ts";
import { PairingSession } from "../auth/pairing-session.ts";
import { Backoff } from "../controller-link/backoff.ts";

export interface RelayLinkOptions {
  /** The relay's hub endpoint, ws(s)://host/hub. */
  url: string;
  identity: Signer & { readonly deviceId: string };
  /** A paired app's public key (null: not paired). */
  appKey: (appId: string) => Uint8Array | null;
  clients: WsClients;
  /** Runs a REST request on the hub (for pairing sessions: /api/pairing/begin and /finish). */
  rest: (request: Request) => Response | Promise<Response>;
  log?: (level: "info" | "warn", text: string) => void;
  now?: () => number;
}

export type RelayState = "off" | "connecting" | "up" | "down";

/** A paired app's end-to-end session, or a phone pairing away from home (no channel yet). */
type Session = { secure: SecureAppSession; pairing?: undefined } | { pairing: PairingSession; secure?: undefined };

export class RelayLink {
  private ws: WebSocket | null = null;
  private state: RelayState = "off";
  private lastError: string | null = null;
  private readonly sessions = new Map<number, Session>();
  private readonly backoff = new Backoff({ initialMs: 500, maxMs: 30_000 });
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private readonly now: () => number;
  private zone: string | null = null;
  private readonly txtWaiting = new Map<string, { ok: () => void; fail: (e: Error) => void }>();
  private txtNext = 0;
  private readonly zoneListeners: ((zone: string) => void)[] = [];

  constructor(private readonly o: RelayLinkOptions) {
    this.now = o.now ?? Date.now;
  }

  start(): void {
    this.stopped = false;
    this.dial();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close(1000, "the hub is stopping");
    this.dropSessions();
    this.state = "off";
  }

  health(): { state: RelayState; url: string; sessions: number; last_error: string | null } {
    return { state: this.state, url: this.o.url, sessions: this.sessions.size, last_error: this.lastError };
  }

  /** The DNS zone the relay gives this hub a name under (docs/lan-https.md); null until it says. */
  dnsZone(): string | null {
    return this.zone;
  }

  /** Call `f` each time the relay says which zone it serves (on every connect). */
  onDnsZone(f: (zone: string) => void): void {
    this.zoneListeners.push(f);
    if (this.zone) f(this.zone);
  }

  /** Asks the relay to publish an ACME DNS-01 value at this hub's challenge name; resolves once it does. */
  publishTxt(name: string, value: string, timeoutMs = 10_000): Promise<void> {
    const ws = this.ws;
    if (!ws || this.state !== "up") return Promise.reject(new Error("the hub is not connected to its relay"));
    const id = `txt${++this.txtNext}`;
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => {
        this.txtWaiting.delete(id);
        fail(new Error("the relay did not answer the DNS request in time"));
      }, timeoutMs);
      this.txtWaiting.set(id, {
        ok: () => {
          clearTimeout(timer);
          ok();
        },
        fail: (e) => {
          clearTimeout(timer);
          fail(e);
        },
      });
      ws.send(JSON.stringify({ type: "dns_txt", v: RELAY_VERSION, id, name, value }));
    });
  }

  /** The challenge is over: the relay may drop the value (all of this hub's values with none given). */
  clearTxt(value?: string): void {
    this.ws?.send(JSON.stringify({ type: "dns_txt_clear", v: RELAY_VERSION, ...(value ? { value } : {}) }));
  }

  /** Where apps join this hub at the relay (its /app endpoint). */
  appUrl(): string {
    return this.o.url.replace(/\/hub$/, "/app");
  }

  /** A ticket for one of this hub's paired apps to join it at the relay. */
  ticketFor(appId: string, lifeMs = TICKET_MAX_LIFE_MS): { ticket: string; exp_ms: number; hub_id: string } {
    const exp = this.now() + Math.min(lifeMs, TICKET_MAX_LIFE_MS);
    return {
      ticket: issueTicket({ hub: this.o.identity.deviceId, app: appId, exp }, this.o.identity),
      exp_ms: exp,
      hub_id: this.o.identity.deviceId,
    };
  }

  /** A claim, signed by this hub, that the account `iss`/`sub` may list it at the relay (docs/remote.md). */
  claimFor(account: { iss: string; sub: string }, name: string): string {
    return issueClaim({ hub: this.o.identity.deviceId, iss: account.iss, sub: account.sub, name, at_ms: this.now() }, this.o.identity);
  }

  private dial(): void {
    if (this.stopped) return;
    this.state = "connecting";
    const ws = new WebSocket(this.o.url);
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    ws.addEventListener("message", (e) => this.received(ws, e.data));
    ws.addEventListener("close", (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.dropSessions();
      if (this.stopped) return;
      this.state = "down";
      this.lastError = `the relay closed the link (${e.code}${e.reason ? `: ${e.reason}` : ""})`;
      this.o.log?.("warn", `relay: ${this.lastError}`);
      this.timer = setTimeout(() => this.dial(), this.backoff.next());
    });
  }

  private received(ws: WebSocket, data: unknown): void {
    if (typeof data === "string") {
      this.control(ws, data);
      return;
    }
    const split = splitSession(new Uint8Array(data as ArrayBuffer));
    const s = split ? this.sessions.get(split.session) : undefined;
    if (!split || !s) return;
    try {
      this.frame(split.session, s, split.payload);
    } catch (e) {
      const why = e instanceof ChannelError || e instanceof RangeError ? e.message : `the hub failed: ${(e as Error).message}`;
      this.o.log?.("warn", `relay: session ${split.session} ended: ${why}`);
      this.endSession(split.session);
    }
  }

  private frame(id: number, s: Session, payload: Uint8Array): void {
    if (s.pairing) {
      void s.pairing.frame(payload).catch((e: Error) => {
        this.o.log?.("warn", `relay: pairing session ${id} failed: ${e.message}`);
        this.endSession(id);
      });
      return;
    }
    s.secure.frame(payload);
  }

  private control(ws: WebSocket, text: string): void {
    let m: {
      type?: string;
      nonce?: string;
      session?: number;
      hub_id?: string;
      pairing?: boolean;
      dns_zone?: unknown;
      id?: string;
      ok?: boolean;
      message?: string;
    } = {};
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      return;
    }
    if (m.type === "challenge" && typeof m.nonce === "string") {
      ws.send(JSON.stringify(hubProof(m.nonce, this.o.identity)));
    } else if (m.type === "ready") {
      this.state = "up";
      this.lastError = null;
      this.backoff.reset();
      this.o.log?.("info", `relay: connected to ${this.o.url} as ${m.hub_id}`);
      this.zone = typeof m.dns_zone === "string" && isZone(m.dns_zone) ? m.dns_zone : null;
      if (this.zone) for (const f of this.zoneListeners) f(this.zone);
    } else if (m.type === "dns_txt_result" && typeof m.id === "string") {
      const w = this.txtWaiting.get(m.id);
      this.txtWaiting.delete(m.id);
      if (m.ok) w?.ok();
      else w?.fail(new Error(`the relay refused the DNS record: ${m.message ?? "no reason given"}`));
    } else if (m.type === "session_open" && typeof m.session === "number" && m.pairing === true) {
      this.sessions.set(m.session, this.pairingSession(m.session));
    } else if (m.type === "session_open" && typeof m.session === "number") {
      const id = m.session;
      this.sessions.set(id, {
        secure: new SecureAppSession({
          hub: this.signer(),
          appKey: this.o.appKey,
          clients: this.o.clients,
          tag: { relaySession: id },
          send: (frame) => this.sendTo(id, frame),
          end: (revoked) => this.endSession(id, revoked),
        }),
      });
    } else if (m.type === "session_closed" && typeof m.session === "number") {
      const s = this.sessions.get(m.session);
      this.sessions.delete(m.session);
      s?.pairing?.closed();
      s?.secure?.closed();
    }
  }

  /** A session for a phone pairing away from home: plain pairing messages, then its first ticket. */
  private pairingSession(id: number): Session {
    const pairing = new PairingSession({
      rest: this.o.rest,
      paired: (appId) => ({ type: "remote_ticket", relay_url: this.appUrl(), ...this.ticketFor(appId) }),
      typedCode: false,
      link: "relay",
      send: (message) => this.sendTo(id, utf8(JSON.stringify(message))),
      end: () => this.endSession(id),
      ...(this.o.log ? { log: this.o.log } : {}),
    });
    return { pairing };
  }

  private signer() {
    const id = this.o.identity;
    return { id: id.deviceId, publicKey: id.publicKey, sign: (b: Uint8Array) => id.sign(b) };
  }

  /** End one app's session at the relay (`revoked`: the app was removed, so it forgets this hub). */
  private endSession(id: number, revoked = false): void {
    const s = this.sessions.get(id);
    if (!s) return;
    this.sessions.delete(id);
    s.pairing?.closed();
    s.secure?.closed();
    this.ws?.send(JSON.stringify({ type: "close_session", v: RELAY_VERSION, session: id, revoked }));
  }

  private sendTo(id: number, payload: Uint8Array): void {
    this.ws?.send(withSession(id, payload));
  }

  private dropSessions(): void {
    for (const [, s] of this.sessions) {
      s.pairing?.closed();
      s.secure?.closed();
    }
    this.sessions.clear();
  }
}
