/**
 * @module The app's side of pairing away from home (docs/remote.md): a socket to the relay's /app,
 * `pair_hello` for the hub named in the invite, then the pairing requests as `http` messages on
 * that session, answered as REST would — so `pairWithHub` runs unchanged with `fetch` below, and
 * its proofs over both keys are what make the relay's part harmless. The hub's last message is
 * the new app's ticket. Used by the app and by the tests of the hub and the relay.
 */
import type { SocketRestResponse } from "../../api/src/socket-rest.ts";
import { pairHello, RELAY_CLOSE, type RemoteTicketMessage } from "./relay-wire.ts";

export class PairingSessionError extends Error {
  constructor(
    message: string,
    /** The WebSocket close code, when the relay or the hub closed the session. */
    readonly code?: number,
  ) {
    super(message);
  }
}

export interface PairingSession {
  /** For `pairWithHub({ fetch })`: POSTs to /api/pairing/… carried on the session. */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  /** The ticket the hub sends once the pairing finished. */
  ticket: Promise<RemoteTicketMessage>;
  close(): void;
}

const refusal = (code: number, reason: string): string =>
  code === RELAY_CLOSE.hub_offline
    ? "the machine is not connected to the relay"
    : code === RELAY_CLOSE.too_fast
      ? "too many pairing attempts for this machine; wait a minute"
      : reason || `the relay closed the connection (${code})`;

/** Opens a pairing session with `hubId` at the relay's app endpoint (`relayUrl`, ws[s]://host/app). */
export function openPairingSession(relayUrl: string, hubId: string, timeoutMs = 15_000): Promise<PairingSession> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(relayUrl);
    ws.binaryType = "arraybuffer";
    const waiting = new Map<string, { ok: (r: Response) => void; fail: (e: Error) => void }>();
    let next = 0;
    let joined = false;
    let gotTicket: (t: RemoteTicketMessage) => void = () => {};
    let lostTicket: (e: Error) => void = () => {};
    const ticket = new Promise<RemoteTicketMessage>((ok, fail) => {
      gotTicket = ok;
      lostTicket = fail;
    });
    ticket.catch(() => undefined);
    const timer = setTimeout(() => {
      reject(new PairingSessionError("the relay did not answer in time"));
      ws.close();
    }, timeoutMs);
    const fail = (e: PairingSessionError) => {
      clearTimeout(timer);
      if (!joined) reject(e);
      for (const w of waiting.values()) w.fail(e);
      waiting.clear();
      lostTicket(e);
    };
    ws.addEventListener("error", () => fail(new PairingSessionError("cannot reach the relay")));
    ws.addEventListener("close", (e) => fail(new PairingSessionError(refusal(e.code, e.reason), e.code)));
    ws.addEventListener("message", (e) => {
      const text = typeof e.data === "string" ? e.data : new TextDecoder().decode(e.data as ArrayBuffer);
      let m: Record<string, unknown>;
      try {
        m = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return;
      }
      if (typeof e.data === "string") {
        if (m.type === "challenge") ws.send(JSON.stringify(pairHello(hubId)));
        else if (m.type === "joined" && m.pairing === true) {
          joined = true;
          clearTimeout(timer);
          resolve(session);
        }
        return;
      }
      if (m.type === "http_result" && typeof m.id === "string") {
        const r = m as unknown as SocketRestResponse;
        waiting
          .get(r.id)
          ?.ok(new Response(r.body ?? "", { status: r.status, headers: { "content-type": r.content_type ?? "application/json" } }));
        waiting.delete(r.id);
      } else if (m.type === "remote_ticket") gotTicket(m as unknown as RemoteTicketMessage);
    });
    const session: PairingSession = {
      fetch: (url, init) =>
        new Promise((ok, failed) => {
          if (ws.readyState !== WebSocket.OPEN) return failed(new PairingSessionError("the pairing session is closed"));
          const id = `p${++next}`;
          waiting.set(id, { ok, fail: failed });
          const path = new URL(url, "http://hub").pathname;
          const body = typeof init?.body === "string" ? init.body : undefined;
          ws.send(
            new TextEncoder().encode(JSON.stringify({ type: "http", id, method: init?.method ?? "GET", path, ...(body ? { body } : {}) })),
          );
        }),
      ticket,
      close: () => ws.close(),
    };
  });
}
