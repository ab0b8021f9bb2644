/**
 * @module The /ws stream (docs/api/websocket.md): a socket from a paired app first answers a
 * signed challenge (the kiosk and an "open on my network" hub skip it); then a snapshot, paced
 * deltas, shot records as they are committed, and answers to commands. Bad input gets an error
 * message naming the problem; the socket stays open. Revoking an app closes its sockets at once.
 */

import { PhoneScaleMessage } from "@brewos/protocol/api/phone-scale-messages";
import { isTextType, type SocketRestResponse } from "@brewos/protocol/api/socket-rest";
import { SocketRestRequestMessage } from "@brewos/protocol/api/socket-rest-messages";
import { toBase64Url } from "@brewos/protocol/auth";
import { WsAuthMessage } from "@brewos/protocol/auth/messages";
import { SyncClientMessage } from "@brewos/protocol/sync/messages";
import type { WSContext } from "hono/ws";
import { type Caller, KIOSK_HEADER } from "../auth/local-auth.ts";
import type { Hub } from "../hub.ts";
import { isStorageError } from "../store/storage-health.ts";
import { parseCommand } from "./commands.ts";
import { DeltaCoalescer, type PacedDelta } from "./delta-coalescer.ts";

/** A sync push of 100 edits with long notes is the largest message a client sends. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** The largest REST answer sent over a socket (a bigger one is refused with 413: fetch it at home). */
export const SOCKET_REST_MAX_ANSWER_BYTES = 1536 * 1024;
/** An unauthenticated socket must answer its challenge within this. */
const AUTH_WAIT_MS = 15_000;
/** Close codes (docs/api/websocket.md). */
export const WS_CLOSE = { unauthenticated: 4401, revoked: 4403 } as const;

interface Waiting {
  ws: WSContext;
  nonce: string;
  timer: ReturnType<typeof setTimeout>;
}

export class WsFanout {
  /** Hono hands each event a new WSContext for the same socket: key by the socket underneath. */
  private readonly clients = new Map<unknown, WSContext>();
  /** Who each admitted socket is. */
  private readonly callers = new Map<unknown, Caller>();
  /** Sockets that have not answered their challenge yet. */
  private readonly waiting = new Map<unknown, Waiting>();
  /** Sockets that said sync_hello, with their install's node id. */
  private readonly syncing = new Map<unknown, string>();
  private readonly coalescer: DeltaCoalescer;
  private readonly unsubscribe: (() => void)[] = [];

  /**
   * `rest` runs a REST request in-process (the hub's own HTTP app), for REST over the socket.
   */
  constructor(
    private readonly hub: Hub,
    private readonly rest: ((request: Request) => Response | Promise<Response>) | null = null,
  ) {
    this.coalescer = new DeltaCoalescer(
      (d) => this.broadcast({ ...d, rx_ms: Math.round(d.rx_ms * 1000) / 1000 }),
      () => hub.model.brewing,
    );
    this.unsubscribe.push(hub.model.onDelta((d) => this.coalescer.push(d)));
    this.unsubscribe.push(
      hub.recorder.onRecorded((shot) => {
        this.broadcast({ type: "shot_recorded", shot });
        this.poke(null);
      }),
    );
    this.unsubscribe.push(
      hub.onShotUpdated((shot) => {
        this.broadcast({ type: "shot_updated", shot });
        this.poke(null);
      }),
    );
    this.unsubscribe.push(hub.autotune.onResult((result) => this.broadcast({ type: "autotune_result", result })));
    this.unsubscribe.push(hub.nextShot.onChange((next_shot) => this.broadcast({ type: "next_shot", next_shot })));
    this.unsubscribe.push(hub.firmware.onChange((firmware) => this.broadcast({ type: "firmware", firmware })));
    this.unsubscribe.push(
      hub.auth.apps.onRevoked((id) =>
        this.closeWhere((c) => c.kind === "app" && c.appId === id, WS_CLOSE.revoked, "this app was removed from the machine"),
      ),
    );
    this.unsubscribe.push(
      hub.settings.onHubChange((s) => {
        if (!s.open_on_network)
          this.closeWhere(
            (c) => c.kind === "open",
            WS_CLOSE.unauthenticated,
            "the machine is no longer open on the network; pair this app",
          );
      }),
    );
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** A new socket: admitted at once when the caller is already known (kiosk, open hub), else challenged. */
  open(ws: WSContext, caller: Caller | null): void {
    if (caller) {
      this.admit(ws, caller);
      return;
    }
    // The socket's own one-time nonce (never in the REST challenge list: each proof has its place).
    const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(18)));
    const timer = setTimeout(() => {
      this.waiting.delete(key(ws));
      ws.close(WS_CLOSE.unauthenticated, "no answer to the sign-in challenge");
    }, AUTH_WAIT_MS);
    this.waiting.set(key(ws), { ws, nonce, timer });
    ws.send(JSON.stringify({ type: "auth_challenge", nonce, device_id: this.hub.auth.identity.deviceId }));
  }

  private admit(ws: WSContext, caller: Caller): void {
    this.clients.set(key(ws), ws);
    this.callers.set(key(ws), caller);
    this.coalescer.flush(); // the snapshot below already includes anything pending
    ws.send(JSON.stringify({ type: "snapshot", state: this.hub.model.snapshot(), link: this.hub.link.health().state }));
    ws.send(JSON.stringify({ type: "next_shot", next_shot: this.hub.nextShot.get() }));
  }

  close(ws: WSContext): void {
    const w = this.waiting.get(key(ws));
    if (w) clearTimeout(w.timer);
    this.waiting.delete(key(ws));
    this.clients.delete(key(ws));
    this.callers.delete(key(ws));
    this.syncing.delete(key(ws));
    this.hub.phoneScale.closed(key(ws));
  }

  private closeWhere(match: (c: Caller) => boolean, code: number, reason: string): void {
    for (const [k, c] of [...this.callers]) {
      if (!match(c)) continue;
      const ws = this.clients.get(k);
      this.clients.delete(k);
      this.callers.delete(k);
      this.syncing.delete(k);
      this.hub.phoneScale.closed(k);
      ws?.close(code, reason);
    }
  }

  private authenticate(ws: WSContext, w: Waiting, text: string): void {
    let m: unknown = null;
    try {
      m = JSON.parse(text);
    } catch {
      // answered below
    }
    const parsed = WsAuthMessage.safeParse(m);
    clearTimeout(w.timer);
    this.waiting.delete(key(ws));
    if (parsed.success && this.hub.auth.sessions.proveFresh("ws", parsed.data.app_id, w.nonce, parsed.data.signature)) {
      this.reply(ws, { type: "auth_ok", app_id: parsed.data.app_id });
      this.admit(ws, { kind: "app", appId: parsed.data.app_id });
      return;
    }
    this.reply(ws, {
      type: "error",
      code: "unauthenticated",
      message: parsed.success
        ? "this app is not paired with the machine (or was removed); pair it again"
        : 'answer the challenge first: {"type":"auth","app_id":…,"signature":…}',
    });
    ws.close(WS_CLOSE.unauthenticated, "not signed in");
  }

  /** One message from a socket; a failure answers that socket and never reaches the process. */
  async message(ws: WSContext, data: unknown): Promise<void> {
    try {
      await this.handle(ws, data);
    } catch (e) {
      const full = isStorageError(e);
      if (full) this.hub.storage.failed("a /ws message", e);
      this.reply(ws, {
        type: "error",
        code: full ? "storage_full" : "internal",
        message: full ? "the hub's disk is full: nothing was changed" : `the hub failed: ${(e as Error).message}`,
      });
    }
  }

  private async handle(ws: WSContext, data: unknown): Promise<void> {
    const w = this.waiting.get(key(ws));
    if (w) return this.authenticate(ws, w, typeof data === "string" ? data : "");
    if (!this.clients.has(key(ws))) return; // closed by a revocation; frames still in flight
    const text = typeof data === "string" ? data : null;
    if (text === null) return this.reply(ws, { type: "error", code: "invalid_message", message: "send JSON text frames" });
    if (Buffer.byteLength(text) > MAX_MESSAGE_BYTES)
      return this.reply(ws, { type: "error", code: "too_large", message: `messages are at most ${MAX_MESSAGE_BYTES} bytes` });
    let msg: { type?: unknown; id?: unknown; command?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return this.reply(ws, { type: "error", code: "invalid_json", message: "the message is not JSON" });
    }
    if (msg?.id !== undefined && typeof msg.id !== "string" && typeof msg.id !== "number") {
      return this.reply(ws, { type: "error", id: null, code: "invalid_message", message: "id must be a string or a number" });
    }
    const id = typeof msg?.id === "string" || typeof msg?.id === "number" ? msg.id : null;
    if (msg?.type === "resync") {
      return this.reply(ws, { type: "snapshot", state: this.hub.model.snapshot(), link: this.hub.link.health().state });
    }
    if (typeof msg?.type === "string" && msg.type.startsWith("sync_")) return this.syncMessage(ws, msg);
    if (typeof msg?.type === "string" && msg.type.startsWith("phone_scale")) return this.phoneScaleMessage(ws, msg);
    if (msg?.type === "http") return this.reply(ws, await this.restOverSocket(ws, msg, id));
    if (msg?.type !== "command") {
      return this.reply(ws, {
        type: "error",
        id,
        code: "invalid_message",
        message: 'type must be "command", "resync", "http", a sync message or a phone_scale message',
      });
    }
    const parsed = parseCommand(msg.command);
    if (!parsed.ok)
      return this.reply(ws, { type: "result", id, ok: false, code: parsed.code, message: parsed.message, issues: parsed.issues });
    const out = await this.hub.control.run(parsed.value);
    this.reply(ws, out.ok ? { type: "result", id, ok: true, ...(out.detail ?? {}) } : { type: "result", id, ...out });
  }

  /** REST over the socket (docs/api/websocket.md): run as this socket's paired app, answered as REST would. */
  private async restOverSocket(ws: WSContext, raw: unknown, id: string | number | null): Promise<object> {
    const parsed = SocketRestRequestMessage.safeParse(raw);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      return { type: "error", id, code: "invalid_http", message: `${i?.path.join(".") || "(message)"}: ${i?.message}` };
    }
    const m = parsed.data;
    const caller = this.callers.get(key(ws));
    if (!this.rest || (caller?.kind !== "app" && caller?.kind !== "kiosk"))
      return { type: "error", id: m.id, code: "not_an_app", message: "REST over the socket is for paired apps; use HTTP" };
    const url = new URL(m.path, "http://localhost");
    if (!url.pathname.startsWith("/api/")) return { type: "error", id: m.id, code: "invalid_http", message: "path: an /api/… path" };
    // As that app, or (the machine's display on its socket) as the kiosk, marked in-process only.
    const headers: Record<string, string> =
      caller.kind === "app"
        ? { authorization: `Bearer ${this.hub.auth.sessions.issueToken(caller.appId).token}` }
        : { [KIOSK_HEADER]: this.hub.auth.kioskToken };
    if (m.body !== undefined) headers["content-type"] = "application/json";
    const res = await this.rest(new Request(url, { method: m.method, headers, ...(m.body !== undefined ? { body: m.body } : {}) }));
    const type = res.headers.get("content-type");
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length > SOCKET_REST_MAX_ANSWER_BYTES) {
      const body = JSON.stringify({
        error: { code: "too_large", message: `the answer is ${bytes.length} bytes, more than a remote session carries: fetch it at home` },
      });
      return { type: "http_result", id: m.id, status: 413, content_type: "application/json", content_disposition: null, body };
    }
    const answer: SocketRestResponse = {
      type: "http_result",
      id: m.id,
      status: res.status,
      content_type: type,
      content_disposition: res.headers.get("content-disposition"),
      ...(isTextType(type) ? { body: new TextDecoder().decode(bytes) } : { body_base64: Buffer.from(bytes).toString("base64") }),
    };
    return answer;
  }

  /** A scale this phone lends the hub for brew-by-weight (docs/api/websocket.md). */
  private phoneScaleMessage(ws: WSContext, raw: unknown): void {
    const parsed = PhoneScaleMessage.safeParse(raw);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      this.reply(ws, { type: "error", code: "invalid_phone_scale", message: `${i?.path.join(".") || "(message)"}: ${i?.message}` });
      return;
    }
    this.hub.phoneScale.receive(
      key(ws),
      (m) => {
        this.reply(ws, m);
        return true;
      },
      parsed.data,
    );
  }

  /** Sync (docs/api/sync.md): hello, push, pull; other devices are poked when rows change. */
  private syncMessage(ws: WSContext, raw: unknown): void {
    this.reply(ws, this.syncAnswer(ws, raw));
  }

  private syncAnswer(ws: WSContext, raw: unknown): object {
    const parsed = SyncClientMessage.safeParse(raw);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      return { type: "sync_error", v: 1, code: "invalid_sync_message", message: `${i?.path.join(".") || "(message)"}: ${i?.message}` };
    }
    const m = parsed.data;
    if (m.type === "sync_hello") {
      const answer = this.hub.sync.hello(m.node_id, m.schema_version, m.cursor);
      if (answer.type === "sync_welcome") this.syncing.set(key(ws), m.node_id);
      return answer;
    }
    const node = this.syncing.get(key(ws));
    if (!node) return { type: "sync_error", v: 1, code: "no_hello", message: "send sync_hello first" };
    if (m.type === "sync_pull") return this.hub.sync.pull(m.since, m.limit);
    const r = this.hub.sync.push(node, m.mutations);
    // Committed before it is answered; the other devices hear of it right after the answer.
    if (r.changed) queueMicrotask(() => this.poke(key(ws)));
    return r.ack;
  }

  private poke(except: unknown): void {
    const text = JSON.stringify({ type: "sync_poke", v: 1, seq: this.hub.sync.seq() });
    for (const k of this.syncing.keys()) if (k !== except) this.clients.get(k)?.send(text);
  }

  stop(): void {
    for (const w of this.waiting.values()) clearTimeout(w.timer);
    for (const u of this.unsubscribe) u();
    this.coalescer.stop();
  }

  private reply(ws: WSContext, body: object): void {
    ws.send(JSON.stringify(body));
  }

  private broadcast(body: PacedDelta | Record<string, unknown>): void {
    const text = JSON.stringify(body);
    for (const ws of this.clients.values()) ws.send(text);
  }
}

function key(ws: WSContext): unknown {
  return ws.raw ?? ws;
}
