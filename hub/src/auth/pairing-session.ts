/**
 * @module A pairing session for a phone with no keys yet, over a link that is not the LAN: through
 * the relay (docs/remote.md, "Pairing away from home") or over Bluetooth (docs/api/ble.md). It runs
 * the ordinary pairing exchange as `http` messages in plain JSON. Only POST /api/pairing/begin and
 * /finish are heard, a few requests at most and for two minutes; anything else ends the session.
 * Through the relay only the invite's long secret (`via: "qr"`) is taken — a typed code is for
 * someone standing at the machine, as a Bluetooth central is. Whoever carries these messages sees
 * them, but the pairing proofs bind both keys to the secret, so it can neither pair itself nor
 * change a key unnoticed. On success the new app gets `paired` (the relay: its first ticket) and
 * the session ends.
 */

import type { SocketRestResponse } from "@brewos/protocol/api/socket-rest";
import { PAIRING_SESSION_MS, PAIRING_SESSION_REQUESTS, type RemoteTicketMessage } from "@brewos/protocol/relay";

const PATHS = new Set(["/api/pairing/begin", "/api/pairing/finish"]);

export interface PairingSessionOptions {
  /** Runs a request against the hub's REST API (as if it came over the LAN with no credentials). */
  rest: (request: Request) => Response | Promise<Response>;
  /** The last message to the new app, once paired (the relay: its first ticket); none: nothing more. */
  paired?: (appId: string) => RemoteTicketMessage | object;
  /** Whether the typed code is taken (at the machine: Bluetooth), or only the invite's secret. */
  typedCode: boolean;
  /** How the log names the link ("relay", "bluetooth"). */
  link: string;
  send: (message: object) => void;
  /** Ends the session (`why`: it was the app's fault; none: it paired). */
  end: (why?: string) => void;
  log?: (level: "info" | "warn", text: string) => void;
}

export class PairingSession {
  private requests = 0;
  private busy = false;
  private readonly timer: ReturnType<typeof setTimeout>;

  constructor(private readonly o: PairingSessionOptions) {
    this.timer = setTimeout(() => this.stop("the pairing session timed out"), PAIRING_SESSION_MS);
  }

  /** One frame from the app. */
  async frame(payload: Uint8Array): Promise<void> {
    let m: { type?: unknown; id?: unknown; method?: unknown; path?: unknown; body?: unknown };
    try {
      m = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(payload)) as typeof m;
    } catch {
      return this.stop("a pairing session carries JSON only");
    }
    const path = typeof m.path === "string" ? m.path : "";
    if (m?.type !== "http" || typeof m.id !== "string" || m.method !== "POST" || !PATHS.has(path) || typeof m.body !== "string")
      return this.stop("a pairing session carries POST /api/pairing/begin and /finish only");
    if (++this.requests > PAIRING_SESSION_REQUESTS || this.busy) return this.stop("too many requests in one pairing session");
    const finishing = path === "/api/pairing/finish";
    // A broken body is answered by the hub's route itself.
    const body = jsonObject(m.body);
    if (finishing && !this.o.typedCode && body?.via !== "qr") {
      this.answer(m.id, 403, { error: { code: "qr_only", message: "away from home, pair with the invite link (its long secret)" } });
      return;
    }
    this.busy = true;
    try {
      const res = await this.o.rest(
        new Request(`http://localhost${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: m.body }),
      );
      const text = await res.text();
      this.answer(m.id, res.status, text, res.headers.get("content-type"));
      if (finishing && res.ok && typeof body?.app_public_key === "string") {
        const appId = String((JSON.parse(text) as { app_id?: unknown }).app_id ?? "");
        this.o.log?.("info", `${this.o.link}: app ${appId} paired`);
        const last = this.o.paired?.(appId);
        if (last) this.o.send(last);
        this.stop();
      }
    } finally {
      this.busy = false;
    }
  }

  private answer(id: string, status: number, body: object | string, contentType: string | null = "application/json"): void {
    const a: SocketRestResponse = {
      type: "http_result",
      id,
      status,
      content_type: contentType,
      content_disposition: null,
      body: typeof body === "string" ? body : JSON.stringify(body),
    };
    this.o.send(a);
  }

  /** Ends the session (`why`: it was the app's fault). */
  stop(why?: string): void {
    clearTimeout(this.timer);
    if (why) this.o.log?.("warn", `${this.o.link}: pairing session ended: ${why}`);
    this.o.end(why);
  }

  /** The far side closed the session. */
  closed(): void {
    clearTimeout(this.timer);
  }
}

function jsonObject(text: string): { via?: unknown; app_public_key?: unknown } | null {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null ? v : null;
  } catch {
    return null;
  }
}
