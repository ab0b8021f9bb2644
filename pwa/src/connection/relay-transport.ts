/**
 * @module The app's socket to its machine through the relay (docs/remote.md), loaded only when the
 * machine cannot be reached at home: a WebSocket to the relay, the ticket and this app's key to get
 * in, the end-to-end channel with the machine's key from pairing, then the hub's ordinary /ws
 * messages inside it. The relay's refusals become closes the hub client understands: only a
 * machine that removed this app makes it forget its key.
 */
import { fromBase64Url } from "@brewos/protocol/auth";
import { RELAY_CLOSE } from "@brewos/protocol/relay";
import { AppChannel } from "@brewos/protocol/relay/app-channel";
import type { Credentials } from "./credentials.ts";
import { CLOSE_REVOKED } from "./hub-client.ts";
import type { RemoteTicket } from "./remote-ticket.ts";
import type { HubSocket, HubSocketEvents } from "./transport.ts";

/** What a relay close means to the owner, and whether the ticket is no good any more. */
function relayClose(code: number, reason: string): { text: string; code?: number; ticketBad?: boolean } {
  if (code === RELAY_CLOSE.ended_by_hub) return { text: "this app was removed from the machine", code: CLOSE_REVOKED };
  if (code === RELAY_CLOSE.hub_offline) return { text: "the machine is not connected to the internet (relay)" };
  if (code === RELAY_CLOSE.refused)
    return { text: `the relay refused this app's ticket (${reason}); connect at home once`, ticketBad: true };
  return { text: reason || `the relay closed the connection (${code})` };
}

export function openRelaySocket(ticket: RemoteTicket, creds: Credentials, events: HubSocketEvents, onTicketBad: () => void): HubSocket {
  const ws = new WebSocket(ticket.relay_url);
  ws.binaryType = "arraybuffer";
  let closed = false;
  const close = (reason: string, code?: number) => {
    if (closed) return;
    closed = true;
    events.onClose(reason, code);
  };
  const hubKey = fromBase64Url(creds.hubPublicKey);
  const channel = new AppChannel({
    ticket: ticket.ticket,
    app: { ...creds.keys, id: creds.appId },
    hub: { publicKey: hubKey ?? new Uint8Array(32), id: creds.deviceId },
    send: (d) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(d);
    },
    onOpen: () => events.onOpen(),
    onMessage: (text) => events.onMessage(text),
    onFail: (why) => {
      close(`the connection through the relay failed: ${why}`);
      ws.close();
    },
  });
  ws.addEventListener("message", (e) => channel.receive(typeof e.data === "string" ? e.data : new Uint8Array(e.data as ArrayBuffer)));
  ws.addEventListener("close", (e) => {
    const c = relayClose(e.code, e.reason);
    if (c.ticketBad) onTicketBad();
    close(c.text, c.code);
  });
  ws.addEventListener("error", () => close("cannot reach the relay"));
  return {
    send: (text) => {
      channel.sendText(text);
    },
    close: () => {
      closed = true;
      ws.close();
    },
  };
}
