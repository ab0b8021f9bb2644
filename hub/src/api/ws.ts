/**
 * @module The /ws stream (docs/api/websocket.md): a snapshot on connect, then paced deltas, shot
 * records as they are committed, and answers to commands. Bad input gets an error message naming
 * the problem; the socket stays open.
 */

import { SyncClientMessage } from "@brewos/protocol/sync/messages";
import type { WSContext } from "hono/ws";
import type { Hub } from "../hub.ts";
import { parseCommand } from "./commands.ts";
import { DeltaCoalescer, type PacedDelta } from "./delta-coalescer.ts";

/** A sync push of 100 edits with long notes is the largest message a client sends. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

export class WsFanout {
  /** Hono hands each event a new WSContext for the same socket: key by the socket underneath. */
  private readonly clients = new Map<unknown, WSContext>();
  /** Sockets that said sync_hello, with their install's node id. */
  private readonly syncing = new Map<unknown, string>();
  private readonly coalescer: DeltaCoalescer;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly hub: Hub) {
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
  }

  get clientCount(): number {
    return this.clients.size;
  }

  open(ws: WSContext): void {
    this.clients.set(key(ws), ws);
    this.coalescer.flush(); // the snapshot below already includes anything pending
    ws.send(JSON.stringify({ type: "snapshot", state: this.hub.model.snapshot(), link: this.hub.link.health().state }));
  }

  close(ws: WSContext): void {
    this.clients.delete(key(ws));
    this.syncing.delete(key(ws));
  }

  async message(ws: WSContext, data: unknown): Promise<void> {
    const text = typeof data === "string" ? data : null;
    if (text === null) return this.reply(ws, { type: "error", code: "invalid_message", message: "send JSON text frames" });
    if (text.length > MAX_MESSAGE_BYTES)
      return this.reply(ws, { type: "error", code: "too_large", message: `messages are at most ${MAX_MESSAGE_BYTES} bytes` });
    let msg: { type?: unknown; id?: unknown; command?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return this.reply(ws, { type: "error", code: "invalid_json", message: "the message is not JSON" });
    }
    const id = typeof msg?.id === "string" || typeof msg?.id === "number" ? msg.id : null;
    if (msg?.type === "resync") {
      return this.reply(ws, { type: "snapshot", state: this.hub.model.snapshot(), link: this.hub.link.health().state });
    }
    if (typeof msg?.type === "string" && msg.type.startsWith("sync_")) return this.syncMessage(ws, msg);
    if (msg?.type !== "command") {
      return this.reply(ws, { type: "error", id, code: "invalid_message", message: 'type must be "command", "resync" or a sync message' });
    }
    const parsed = parseCommand(msg.command);
    if (!parsed.ok)
      return this.reply(ws, { type: "result", id, ok: false, code: parsed.code, message: parsed.message, issues: parsed.issues });
    const out = await this.hub.control.run(parsed.value);
    this.reply(ws, out.ok ? { type: "result", id, ok: true, ...(out.detail ?? {}) } : { type: "result", id, ...out });
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
