/**
 * @module How the app reaches a hub. A transport carries JSON text both ways and says when it
 * opened and closed; the hub client above it (backoff, stale detection, snapshot and deltas,
 * commands) is the same whether the text goes over the LAN WebSocket, the relay (relay-transport.ts)
 * or Web Bluetooth (bluetooth/ble-hub.ts).
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

/** Which way the app reaches its machine: at home over the LAN, from outside through the relay, or
 * over Bluetooth with no network (bluetooth/ble-hub.ts). */
export type Route = "lan" | "relay" | "bluetooth";

export interface LanOrRelayOptions {
  /** How long the LAN may take to answer before the relay is tried. */
  lanWaitMs?: number;
  /** The relay's way in for this machine, or null when there is none (never paired for it). */
  remote: () => Promise<{ open(events: HubSocketEvents): HubSocket; describe: string } | null>;
  onRoute(route: Route): void;
}

/**
 * The machine at home first (its own WebSocket); when that does not answer within `lanWaitMs` or
 * fails, the relay, if this app has a ticket for it. Each reconnect starts at home again.
 */
export function lanOrRelayTransport(baseUrl: string, o: LanOrRelayOptions): HubTransport {
  const lan = webSocketTransport(baseUrl);
  let describe = lan.describe;
  return {
    get describe() {
      return describe;
    },
    open(events) {
      let current: HubSocket | null = null;
      let route: Route | null = null;
      let stopped = false;
      let away = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const goAway = (why: string) => {
        if (away || stopped) return;
        away = true;
        clearTimeout(timer);
        current?.close();
        void o.remote().then((relay) => {
          if (stopped) return;
          if (!relay) {
            events.onClose(why);
            return;
          }
          describe = relay.describe;
          current = relay.open({
            onOpen: () => {
              route = "relay";
              o.onRoute("relay");
              events.onOpen();
            },
            onMessage: (text) => events.onMessage(text),
            onClose: (reason, code) => events.onClose(reason, code),
          });
        });
      };
      describe = lan.describe;
      current = lan.open({
        onOpen: () => {
          if (away) return;
          clearTimeout(timer);
          route = "lan";
          o.onRoute("lan");
          events.onOpen();
        },
        onMessage: (text) => {
          if (route === "lan") events.onMessage(text);
        },
        onClose: (reason, code) => {
          if (route === "lan") events.onClose(reason, code);
          else goAway(reason);
        },
      });
      timer = setTimeout(() => goAway("no answer at home"), o.lanWaitMs ?? 3000);
      return {
        send: (text) => current?.send(text),
        close: () => {
          stopped = true;
          clearTimeout(timer);
          current?.close();
        },
      };
    },
  };
}
