/**
 * @module The /ws stream (docs/api/websocket.md): a snapshot on connect, then paced deltas, shot
 * records as they are committed, and answers to commands. Bad input gets an error message naming
 * the problem; the socket stays open.
 */
import type { WSContext } from "hono/ws";
import type { Hub } from "../hub.ts";
import { parseCommand } from "./commands.ts";
import { DeltaCoalescer, type PacedDelta } from "./delta-coalescer.ts";

const MAX_MESSAGE_BYTES = 16 * 1024;

export class WsFanout {
  private readonly clients = new Set<WSContext>();
  private readonly coalescer: DeltaCoalescer;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly hub: Hub) {
    this.coalescer = new DeltaCoalescer(
      (d) => this.broadcast({ ...d, rx_ms: Math.round(hub.link.lastRxMs * 1000) / 1000 }),
      () => hub.model.brewing,
    );
    this.unsubscribe.push(hub.model.onDelta((d) => this.coalescer.push(d)));
    this.unsubscribe.push(hub.recorder.onRecorded((shot) => this.broadcast({ type: "shot_recorded", shot })));
    this.unsubscribe.push(hub.onShotUpdated((shot) => this.broadcast({ type: "shot_updated", shot })));
    this.unsubscribe.push(hub.autotune.onResult((result) => this.broadcast({ type: "autotune_result", result })));
  }

  get clientCount(): number {
    return this.clients.size;
  }

  open(ws: WSContext): void {
    this.clients.add(ws);
    this.coalescer.flush(); // the snapshot below already includes anything pending
    ws.send(JSON.stringify({ type: "snapshot", state: this.hub.model.snapshot(), link: this.hub.link.health().state }));
  }

  close(ws: WSContext): void {
    this.clients.delete(ws);
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
    if (msg?.type !== "command") {
      return this.reply(ws, { type: "error", id, code: "invalid_message", message: 'type must be "command" or "resync"' });
    }
    const parsed = parseCommand(msg.command);
    if (!parsed.ok)
      return this.reply(ws, { type: "result", id, ok: false, code: parsed.code, message: parsed.message, issues: parsed.issues });
    const out = await this.hub.control.run(parsed.value);
    this.reply(ws, out.ok ? { type: "result", id, ok: true, ...(out.detail ?? {}) } : { type: "result", id, ...out });
  }

  stop(): void {
    for (const u of this.unsubscribe) u();
    this.coalescer.stop();
  }

  private reply(ws: WSContext, body: Record<string, unknown>): void {
    ws.send(JSON.stringify(body));
  }

  private broadcast(body: PacedDelta | Record<string, unknown>): void {
    const text = JSON.stringify(body);
    for (const ws of this.clients) ws.send(text);
  }
}
