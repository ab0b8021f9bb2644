/**
 * @module How the app reaches a hub. A transport carries JSON text both ways and says when it
 * opened and closed; the hub client above it (backoff, stale detection, snapshot and deltas,
 * commands) is the same whether the text goes over the LAN WebSocket, later the relay or Web
 * Bluetooth.
 */

export interface HubSocketEvents {
  onOpen(): void;
  onMessage(text: string): void;
  /** Called once per socket, also when it never opened; `code` is the WebSocket close code when there is one. */
  onClose(reason: string, code?: number): void;
}

export interface HubSocket {
  send(text: string): void;
  close(): void;
}

export interface HubTransport {
  /** For people: "ws://192.168.1.20:8080/ws". */
  readonly describe: string;
  open(events: HubSocketEvents): HubSocket;
}

/** The hub's own WebSocket (`/ws`) at `baseUrl` (http[s]://host[:port]). */
export function webSocketTransport(baseUrl: string): HubTransport {
  const url = `${baseUrl.replace(/^http/, "ws").replace(/\/$/, "")}/ws`;
  return {
    describe: url,
    open(events) {
      const ws = new WebSocket(url);
      let closed = false;
      const close = (reason: string, code?: number) => {
        if (closed) return;
        closed = true;
        events.onClose(reason, code);
      };
      ws.addEventListener("open", () => events.onOpen());
      ws.addEventListener("message", (e) => events.onMessage(String(e.data)));
      ws.addEventListener("close", (e) => close(e.reason || `closed (${e.code})`, e.code));
      ws.addEventListener("error", () => close("cannot reach the hub"));
      return {
        send: (text) => {
          if (ws.readyState === WebSocket.OPEN) ws.send(text);
        },
        close: () => {
          closed = true;
          ws.close();
        },
      };
    },
  };
}
