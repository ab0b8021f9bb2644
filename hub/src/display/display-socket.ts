/**
 * @module The machine display's socket: a UNIX socket in the hub's data folder (mode 0600: only the
 * hub's own user reaches it) where the on-machine display (display/, C) is the trusted local kiosk.
 * One /ws message per line each way — the same JSON as the app's socket, including socket REST
 * (`{type: "http", ...}`) for the pairing window and the statistics. A display that stops reading
 * is dropped once 1 MB waits for it.
 */
import { chmodSync, existsSync, rmSync } from "node:fs";
import type { Socket, UnixSocketListener } from "bun";
import { virtualSocket, type WsClients } from "../api/virtual-socket.ts";
import { lineSplitter } from "./line-splitter.ts";

export const DISPLAY_SOCKET_NAME = "display.sock";
const MAX_PENDING_BYTES = 1024 * 1024;
/** A line longer than this from the display is not ours: the connection is dropped. */
const MAX_LINE_BYTES = 64 * 1024;

interface Conn {
  ws: ReturnType<typeof virtualSocket>;
  pending: Uint8Array[];
  pendingBytes: number;
  /** The display's bytes in; false when a line grew past MAX_LINE_BYTES. */
  push: (chunk: Uint8Array) => boolean;
}

export interface DisplaySocket {
  path: string;
  connections(): number;
  stop(): void;
}

export function startDisplaySocket(o: {
  path: string;
  clients: WsClients;
  log?: (level: "info" | "warn", text: string) => void;
}): DisplaySocket {
  if (existsSync(o.path)) rmSync(o.path); // left by a hub that did not stop cleanly
  const conns = new Map<Socket<undefined>, Conn>();
  const encoder = new TextEncoder();

  const flush = (s: Socket<undefined>, c: Conn) => {
    while (c.pending.length > 0) {
      const head = c.pending[0] as Uint8Array;
      const n = s.write(head);
      if (n < head.length) {
        c.pending[0] = head.subarray(Math.max(0, n));
        c.pendingBytes -= Math.max(0, n);
        return;
      }
      c.pending.shift();
      c.pendingBytes -= head.length;
    }
  };

  const listener: UnixSocketListener<undefined> = Bun.listen<undefined>({
    unix: o.path,
    socket: {
      open(s) {
        const c: Conn = {
          pending: [],
          pendingBytes: 0,
          push: lineSplitter((line) => void o.clients.message(c.ws, line), MAX_LINE_BYTES),
          ws: virtualSocket(
            { displaySocket: true },
            {
              send: (text) => {
                const bytes = encoder.encode(`${text}\n`);
                c.pending.push(bytes);
                c.pendingBytes += bytes.length;
                if (c.pendingBytes > MAX_PENDING_BYTES) {
                  o.log?.("warn", "display: it stopped reading; dropped");
                  s.end();
                  return;
                }
                flush(s, c);
              },
              close: () => s.end(),
            },
          ),
        };
        conns.set(s, c);
        o.clients.open(c.ws, { kind: "kiosk" });
      },
      data(s, data) {
        const c = conns.get(s);
        if (!c) return;
        if (c.push(data)) return;
        o.log?.("warn", "display: a line over 64 KB; dropped");
        s.end();
      },
      drain(s) {
        const c = conns.get(s);
        if (c) flush(s, c);
      },
      close(s) {
        const c = conns.get(s);
        conns.delete(s);
        if (c) o.clients.close(c.ws);
      },
      error(s, e) {
        o.log?.("warn", `display: ${e.message}`);
        s.end();
      },
    },
  });
  chmodSync(o.path, 0o600);
  return {
    path: o.path,
    connections: () => conns.size,
    stop: () => {
      for (const s of conns.keys()) s.end();
      listener.stop(true);
      if (existsSync(o.path)) rmSync(o.path);
    },
  };
}
