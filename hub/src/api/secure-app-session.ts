/**
 * @module One paired app's end-to-end session over a framed link that is not the LAN — the relay,
 * or Bluetooth: the SIGMA-style handshake of `@brewos/protocol/relay/secure-channel` with that app's
 * paired key, then sealed frames carrying the /ws messages (fragmented, so any size fits). Once
 * open it is one more /ws client of the hub, admitted as that app; whoever carries the frames sees
 * only ciphertext. A bad frame throws (ChannelError, RangeError): the caller ends the session.
 */
import { type Signer, utf8 } from "@brewos/protocol/auth";
import { fragment, Reassembler } from "@brewos/protocol/relay";
import { HubHandshake, type SecureSession } from "@brewos/protocol/relay/secure-channel";
import type { WSContext } from "hono/ws";
import { DeltaCoalescer, type PacedDelta } from "./delta-coalescer.ts";
import { virtualSocket, type WsClients } from "./virtual-socket.ts";
import { WS_CLOSE } from "./ws.ts";

export interface SecureAppSessionOptions {
  hub: Signer & { id: string };
  /** A paired app's public key (null: not paired). */
  appKey: (appId: string) => Uint8Array | null;
  clients: WsClients;
  /** Names the session in the socket's data (e.g. `{relaySession: 7}`). */
  tag: Record<string, unknown>;
  /** One frame to the app. */
  send: (frame: Uint8Array) => void;
  /** The hub ended the session (`revoked`: the app was removed, so it should forget this hub). */
  end: (revoked: boolean) => void;
  /** A slow link: machine deltas merged and sent at most every this many ms (a shot's start and
   * end at once), everything else in order after any pending delta. Absent: as they come. */
  paceDeltasMs?: number;
}

const DELTA_PREFIX = '{"type":"delta"';

export class SecureAppSession {
  private handshake: HubHandshake | null;
  private stage: "hello" | "proof" | "open" = "hello";
  private channel: SecureSession | null = null;
  private socket: WSContext | null = null;
  private readonly pieces = new Reassembler();
  private over = false;
  private readonly pacer: DeltaCoalescer | null;

  constructor(private readonly o: SecureAppSessionOptions) {
    this.handshake = new HubHandshake(o.hub, o.appKey);
    this.pacer = o.paceDeltasMs
      ? new DeltaCoalescer(
          (d) => this.sealed(JSON.stringify(d)),
          () => false,
          o.paceDeltasMs,
        )
      : null;
  }

  get open(): boolean {
    return this.stage === "open" && !this.over;
  }

  /** One frame from the app. */
  frame(payload: Uint8Array): void {
    if (this.over) return;
    if (this.stage === "hello" && this.handshake) {
      this.o.send(this.handshake.hello(payload));
      this.stage = "proof";
      return;
    }
    if (this.stage === "proof" && this.handshake) {
      const { session, appId } = this.handshake.proof(payload);
      this.handshake = null;
      this.channel = session;
      this.stage = "open";
      this.socket = virtualSocket(this.o.tag, {
        send: (text) => {
          if (!this.pacer) return this.sealed(text);
          if (text.startsWith(DELTA_PREFIX)) return this.pacer.push(JSON.parse(text) as PacedDelta);
          this.pacer.flush(); // what came before goes first
          this.sealed(text);
        },
        close: (code) => {
          if (this.over) return;
          this.closed();
          this.o.end(code === WS_CLOSE.revoked);
        },
      });
      this.o.clients.open(this.socket, { kind: "app", appId });
      return;
    }
    if (!this.channel || !this.socket) return;
    const whole = this.pieces.push(this.channel.open(payload));
    if (whole) void this.o.clients.message(this.socket, new TextDecoder().decode(whole));
  }

  private sealed(text: string): void {
    if (this.over || !this.channel) return;
    for (const piece of fragment(utf8(text))) this.o.send(this.channel.seal(piece));
  }

  /** The link is gone (or the caller ended the session): the hub forgets the socket. */
  closed(): void {
    if (this.over) return;
    this.over = true;
    this.pacer?.stop();
    if (this.socket) this.o.clients.close(this.socket);
  }
}
