/**
 * @module A client of the hub's /ws handling that is not a WebSocket — a relay session, a Bluetooth
 * central — as WsFanout sees one: `send` a text message, `close` with a code. Its `raw` is the
 * identity WsFanout keys the client by.
 */
import type { WSContext } from "hono/ws";
import type { Caller } from "../auth/local-auth.ts";

/** What such a client needs of the hub's /ws handling (WsFanout). */
export interface WsClients {
  open(ws: WSContext, caller: Caller | null): void;
  message(ws: WSContext, data: unknown): Promise<void>;
  close(ws: WSContext): void;
}

export function virtualSocket(raw: object, o: { send: (text: string) => void; close: (code?: number) => void }): WSContext {
  return { raw, readyState: 1, send: o.send, close: o.close } as unknown as WSContext;
}
