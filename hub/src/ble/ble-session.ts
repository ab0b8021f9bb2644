/**
 * @module One Bluetooth central on the BrewOS GATT service, whatever carries its bytes (BlueZ on the
 * board; a scripted central in tests): chunks written to the service are joined into the /ws JSON
 * messages (docs/api/ble.md), and the hub's answers go back as notifications sized to the MTU. The
 * session is one more client of the hub's /ws handling, so it signs in exactly like the LAN: the
 * hub's challenge, the paired app's signature; nothing else is heard before that.
 */
import { utf8 } from "@brewos/protocol/auth";
import { ChunkJoiner, chunkMessage, MAX_MESSAGE_BYTES } from "@brewos/protocol/ble/chunking";
import type { WSContext } from "hono/ws";
import { virtualSocket, type WsClients } from "../api/virtual-socket.ts";

export interface BleSessionOptions {
  clients: WsClients;
  /** Sends one notification to the central. */
  notify: (chunk: Uint8Array) => void;
  /** The ATT MTU negotiated with this central. */
  mtu: () => number;
  /** The hub ended the session (a failed sign-in, a removed app): drop the central. */
  disconnect: (code: number) => void;
  log?: (level: "info" | "warn", text: string) => void;
}

export class BleSession {
  private readonly joiner = new ChunkJoiner();
  private readonly socket: WSContext;
  private seq = 0;
  private ended = false;

  constructor(private readonly o: BleSessionOptions) {
    this.socket = virtualSocket({ bleSession: this }, { send: (t) => this.send(t), close: (code) => this.end(code ?? 1000) });
    o.clients.open(this.socket, null);
  }

  /** A value the central wrote to the service's write characteristic. */
  written(value: Uint8Array): void {
    if (this.ended) return;
    const r = this.joiner.push(value);
    const message = r.kind === "message" ? r.message : r.kind === "resync" ? r.message : undefined;
    if (r.kind === "resync") this.o.log?.("warn", `bluetooth: a broken message was dropped (${r.reason})`);
    if (message) void this.o.clients.message(this.socket, new TextDecoder().decode(message));
  }

  /** The central went away. */
  closed(): void {
    if (this.ended) return;
    this.ended = true;
    this.o.clients.close(this.socket);
  }

  get resyncs(): number {
    return this.joiner.resyncs;
  }

  private send(text: string): void {
    if (this.ended) return;
    let bytes = utf8(text);
    if (bytes.length > MAX_MESSAGE_BYTES) {
      // Too big for the link (a long sync page, say): the app asks for it in smaller pieces or over Wi-Fi.
      this.o.log?.("warn", `bluetooth: a ${bytes.length}-byte message is too long for the link; sent an error instead`);
      bytes = utf8(JSON.stringify({ type: "error", code: "too_large", message: "too long for Bluetooth: ask for less, or use Wi-Fi" }));
    }
    const { chunks, nextSeq } = chunkMessage(bytes, this.o.mtu(), this.seq);
    this.seq = nextSeq;
    for (const c of chunks) this.o.notify(c);
  }

  private end(code: number): void {
    if (this.ended) return;
    this.ended = true;
    this.o.clients.close(this.socket);
    this.o.disconnect(code);
  }
}
