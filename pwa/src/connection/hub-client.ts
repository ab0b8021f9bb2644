/**
 * @module The app's live connection to a hub: reconnects with backoff, notices a silent link
 * (asks for a snapshot after 5 s of silence and gives the socket up when nothing answers), keeps
 * the machine snapshot current from deltas (resyncing on a gap), and runs commands with an answer
 * or a timeout. It holds no React state: the machine store subscribes to it.
 */

import type { AutotuneResult, ControllerFirmware, MachineSnapshot, NextShot, ShotRecord, WsServerMessage } from "@brewos/protocol/api";
import type { PhoneScaleToApp } from "@brewos/protocol/api/phone-scale";
import type { SocketRestResponse } from "@brewos/protocol/api/socket-rest";
import type { SyncServerMessage } from "@brewos/protocol/sync";
import type { HubSocket, HubTransport } from "./transport.ts";

export type ConnectionStatus = "connecting" | "connected" | "reconnecting";

export interface CommandResult {
  ok: boolean;
  code?: string;
  message?: string;
  [detail: string]: unknown;
}

export interface HubClientEvents {
  onStatus(status: ConnectionStatus, detail: string): void;
  onSnapshot(state: MachineSnapshot, rxMs: number): void;
  /** A shot was recorded, or a recorded one changed (its settled weight). */
  onShot(shot: ShotRecord): void;
  /** The controller proposed PID gains after an autotune. */
  onAutotune?(result: AutotuneResult): void;
  onNextShot?(next: NextShot): void;
  /** The controller's firmware changed (an update's progress, its outcome). */
  onFirmware?(firmware: ControllerFirmware): void;
  /** Sync messages (sync_*), for this install's sync engine. */
  onSync?(message: SyncServerMessage): void;
  /** The hub about the scale this phone lends it (phone_scale_*: a tare, a refusal). */
  onPhoneScale?(message: PhoneScaleToApp): void;
  /** The hub wants a paired app and this one is not (or no longer) paired; the client stops retrying. */
  onUnpaired?(reason: string, revoked: boolean): void;
}

/** Close codes the hub uses when a socket is not signed in (4401) or its app was removed (4403). */
export const CLOSE_UNAUTHENTICATED = 4401;
export const CLOSE_REVOKED = 4403;

export interface HubClientOptions {
  silenceMs?: number;
  answerMs?: number;
  commandTimeoutMs?: number;
  now?: () => number;
  /** The signed answer to the hub's sign-in challenge; null when this app holds no key for it. */
  answerChallenge?: (challenge: { nonce: string; device_id: string }) => object | null;
}

const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];

export class HubClient {
  private socket: HubSocket | null = null;
  private state: MachineSnapshot | null = null;
  private attempt = 0;
  private stopped = false;
  private lastRx = 0;
  private pingSent = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly watch: ReturnType<typeof setInterval>;
  private nextId = 1;
  private readonly pending = new Map<string, { resolve: (r: CommandResult) => void; timer: ReturnType<typeof setTimeout> }>();
  private readonly pendingRest = new Map<
    string,
    { resolve: (r: Response) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }
  >();
  private readonly silenceMs: number;
  private readonly answerMs: number;
  private readonly commandTimeoutMs: number;
  private readonly now: () => number;
  private readonly answerChallenge: HubClientOptions["answerChallenge"];

  constructor(
    private readonly transport: HubTransport,
    private readonly events: HubClientEvents,
    o: HubClientOptions = {},
  ) {
    this.silenceMs = o.silenceMs ?? 5000;
    this.answerMs = o.answerMs ?? 3000;
    this.commandTimeoutMs = o.commandTimeoutMs ?? 10_000;
    this.now = o.now ?? Date.now;
    this.answerChallenge = o.answerChallenge;
    this.watch = setInterval(() => this.checkSilence(), 500);
    this.open();
  }

  get describe(): string {
    return this.transport.describe;
  }

  /** Send any message (sync); false when there is no socket. */
  send(message: object): boolean {
    if (!this.socket || this.lastRx === 0) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  /** Send a command; resolves with the hub's result (or a timeout / not-connected failure). */
  command(command: Record<string, unknown>): Promise<CommandResult> {
    if (!this.socket || this.lastRx === 0)
      return Promise.resolve({ ok: false, code: "not_connected", message: "not connected to the hub; try again when it is back" });
    const id = `c${this.nextId++}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, code: "timeout", message: "the hub did not answer in time" });
      }, this.commandTimeoutMs);
      this.pending.set(id, { resolve, timer });
      this.socket?.send(JSON.stringify({ type: "command", id, command }));
    });
  }

  /**
   * A REST request carried by the socket (where HTTP to the hub is not possible: through the relay),
   * answered as REST would; rejects when not connected or unanswered in time.
   */
  request(method: string, path: string, body?: string): Promise<Response> {
    const socket = this.socket;
    if (!socket || this.lastRx === 0) return Promise.reject(new Error("not connected to the hub"));
    const id = `h${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingRest.delete(id);
        reject(new Error("the hub did not answer in time"));
      }, this.commandTimeoutMs);
      this.pendingRest.set(id, { resolve, reject, timer });
      socket.send(JSON.stringify({ type: "http", id, method, path, ...(body === undefined ? {} : { body }) }));
    });
  }

  close(): void {
    this.stopped = true;
    clearInterval(this.watch);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.close();
    this.socket = null;
    this.failPending("the connection was closed");
  }

  private open(): void {
    this.events.onStatus(this.attempt === 0 ? "connecting" : "reconnecting", this.transport.describe);
    const socket = this.transport.open({
      onOpen: () => {
        this.lastRx = this.now();
        this.pingSent = 0;
      },
      onMessage: (text) => this.receive(text),
      onClose: (reason, code) => {
        if (this.socket !== socket) return;
        this.socket = null;
        this.lastRx = 0;
        this.failPending("the connection to the hub dropped");
        if (this.stopped) return;
        if (code === CLOSE_UNAUTHENTICATED || code === CLOSE_REVOKED) {
          this.stopped = true;
          this.events.onUnpaired?.(reason, code === CLOSE_REVOKED);
          return;
        }
        this.events.onStatus("reconnecting", reason);
        const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)] ?? 8000;
        this.attempt++;
        this.retryTimer = setTimeout(() => this.open(), delay * (0.8 + 0.4 * Math.random()));
      },
    });
    this.socket = socket;
  }

  private receive(text: string): void {
    this.lastRx = this.now();
    this.pingSent = 0;
    let m: WsServerMessage;
    try {
      m = JSON.parse(text) as WsServerMessage;
    } catch {
      return; // not ours; the hub only sends JSON
    }
    if ((m as { type: string }).type === "auth_challenge") {
      const answer = this.answerChallenge?.(m as unknown as { nonce: string; device_id: string }) ?? null;
      if (answer) this.socket?.send(JSON.stringify(answer));
      else {
        this.stopped = true;
        this.socket?.close();
        this.socket = null;
        this.events.onUnpaired?.("this app is not paired with the machine", false);
      }
      return;
    }
    if (typeof m.type === "string" && m.type.startsWith("sync_")) {
      this.events.onSync?.(m as unknown as SyncServerMessage);
      return;
    }
    if (typeof m.type === "string" && m.type.startsWith("phone_scale")) {
      this.events.onPhoneScale?.(m as unknown as PhoneScaleToApp);
      return;
    }
    if ((m as { type: string }).type === "http_result") {
      const r = m as unknown as SocketRestResponse;
      const p = this.pendingRest.get(r.id);
      if (!p) return;
      clearTimeout(p.timer);
      this.pendingRest.delete(r.id);
      p.resolve(restResponse(r));
      return;
    }
    switch (m.type) {
      case "snapshot":
        this.state = m.state;
        this.attempt = 0;
        this.events.onStatus("connected", this.transport.describe);
        this.events.onSnapshot(this.state, this.lastRx);
        break;
      case "delta": {
        const s = this.state;
        if (!s) break;
        if (m.from_seq > s.seq + 1) {
          this.socket?.send(JSON.stringify({ type: "resync" })); // we missed changes: start from a snapshot
          break;
        }
        if (m.seq <= s.seq) break;
        this.state = { ...s, ...m.changes, seq: m.seq };
        this.events.onSnapshot(this.state, this.lastRx);
        break;
      }
      case "shot_recorded":
      case "shot_updated":
        this.events.onShot(m.shot);
        break;
      case "autotune_result":
        this.events.onAutotune?.(m.result);
        break;
      case "next_shot":
        this.events.onNextShot?.(m.next_shot);
        break;
      case "firmware":
        this.events.onFirmware?.(m.firmware);
        break;
      case "result": {
        const p = this.pending.get(m.id);
        if (!p) break;
        clearTimeout(p.timer);
        this.pending.delete(m.id);
        const { type: _t, id: _i, ...rest } = m;
        p.resolve(rest as CommandResult);
        break;
      }
      case "error": {
        const rest = m.id ? this.pendingRest.get(m.id) : undefined;
        if (rest && m.id) {
          clearTimeout(rest.timer);
          this.pendingRest.delete(m.id);
          rest.reject(new Error(m.message));
          break;
        }
        const p = m.id ? this.pending.get(m.id) : undefined;
        if (p && m.id) {
          clearTimeout(p.timer);
          this.pending.delete(m.id);
          p.resolve({ ok: false, code: m.code, message: m.message });
        }
        break;
      }
    }
  }

  /** Idle machines send few deltas: after a silence ask for a snapshot; no answer means a dead socket. */
  private checkSilence(): void {
    if (!this.socket || this.lastRx === 0) return;
    const t = this.now();
    if (this.pingSent === 0 && t - this.lastRx > this.silenceMs) {
      this.pingSent = t;
      this.socket.send(JSON.stringify({ type: "resync" }));
    } else if (this.pingSent !== 0 && t - this.pingSent > this.answerMs) {
      const s = this.socket;
      this.socket = null;
      s.close();
      this.lastRx = 0;
      this.failPending("the hub stopped answering");
      this.events.onStatus("reconnecting", "the hub stopped answering");
      this.attempt++;
      this.retryTimer = setTimeout(() => this.open(), 250);
    }
  }

  private failPending(message: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ ok: false, code: "not_connected", message });
      this.pending.delete(id);
    }
    for (const [id, p] of this.pendingRest) {
      clearTimeout(p.timer);
      p.reject(new Error(message));
      this.pendingRest.delete(id);
    }
  }
}

/** A socket's REST answer as the Response fetch would have given. */
function restResponse(r: SocketRestResponse): Response {
  const headers = new Headers();
  if (r.content_type) headers.set("content-type", r.content_type);
  if (r.content_disposition) headers.set("content-disposition", r.content_disposition);
  const noBody = r.status === 204 || r.status === 205 || r.status === 304;
  const body = r.body_base64 !== undefined ? Uint8Array.from(atob(r.body_base64), (c) => c.charCodeAt(0)) : (r.body ?? "");
  return new Response(noBody ? null : body, { status: r.status, headers });
}
