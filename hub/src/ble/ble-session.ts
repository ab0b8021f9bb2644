/**
 * @module One Bluetooth central on the BrewOS GATT service, whatever carries its bytes (BlueZ on the
 * board; a scripted central in tests). Chunks written to the service are joined into frames
 * (docs/api/ble.md); the hub's frames go back as notifications sized to the MTU. A frame is a
 * pairing message (JSON, first byte `{`: the typed code or the QR secret, as at the machine) or the
 * paired app's end-to-end channel — the same handshake and sealed frames as through the relay, so
 * a session authenticates with the paired app's key exactly like the LAN, and another central in
 * range hears nothing but ciphertext. A phone may pair and then open its channel on one connection.
 */
import { utf8 } from "@brewos/protocol/auth";
import { ChunkJoiner, chunkMessage } from "@brewos/protocol/ble/chunking";
import { ChannelError } from "@brewos/protocol/relay/secure-channel";
import { SecureAppSession, type SecureAppSessionOptions } from "../api/secure-app-session.ts";
import { PairingSession } from "../auth/pairing-session.ts";

const BRACE = 0x7b; /* "{" */
/** Live state over Bluetooth at a reduced rate: 4 Hz at most, even while brewing (the LAN gets 20 Hz). */
export const BLE_DELTA_PACE_MS = 250;

export interface BleSessionOptions {
  /** The hub's identity, its paired apps' keys and its /ws handling. */
  secure: Pick<SecureAppSessionOptions, "hub" | "appKey" | "clients">;
  /** Runs a request against the hub's REST API (pairing: /api/pairing/begin and /finish). */
  rest: (request: Request) => Response | Promise<Response>;
  /** Sends one chunk to the central. */
  notify: (chunk: Uint8Array) => void;
  /** The ATT MTU negotiated with this central. */
  mtu: () => number;
  /** The hub ends the session (a bad frame, a failed pairing, a removed app): drop the central. */
  disconnect: (why: string) => void;
  log?: (level: "info" | "warn", text: string) => void;
}

export class BleSession {
  private readonly joiner = new ChunkJoiner();
  private seq = 0;
  private ended = false;
  private secure: SecureAppSession | null = null;
  private pairing: PairingSession | null = null;

  constructor(private readonly o: BleSessionOptions) {}

  /** A value the central wrote to the service's write characteristic. */
  written(value: Uint8Array): void {
    if (this.ended) return;
    const r = this.joiner.push(value);
    if (r.kind === "resync") this.o.log?.("warn", `bluetooth: a broken frame was dropped (${r.reason})`);
    const frame = r.kind === "message" || r.kind === "resync" ? r.message : undefined;
    if (frame) this.frame(frame);
  }

  /** Whether the central's end-to-end channel is open (a paired app, signed in). */
  get open(): boolean {
    return this.secure?.open ?? false;
  }

  get resyncs(): number {
    return this.joiner.resyncs;
  }

  /** The central went away. */
  closed(): void {
    if (this.ended) return;
    this.ended = true;
    this.secure?.closed();
    this.pairing?.closed();
  }

  private frame(frame: Uint8Array): void {
    if (this.pairing) {
      void this.pairing.frame(frame).catch((e: Error) => this.end(`pairing failed: ${e.message}`));
      return;
    }
    if (!this.secure && frame[0] === BRACE) {
      this.pairing = new PairingSession({
        rest: this.o.rest,
        typedCode: true,
        link: "bluetooth",
        paired: (appId) => ({ type: "paired", app_id: appId }),
        send: (m) => this.send(utf8(JSON.stringify(m))),
        // Paired: the phone goes on to open its channel on this connection. Misused: dropped.
        end: (why) => {
          this.pairing = null;
          if (why) this.end(why);
        },
        ...(this.o.log ? { log: this.o.log } : {}),
      });
      void this.pairing.frame(frame).catch((e: Error) => this.end(`pairing failed: ${e.message}`));
      return;
    }
    this.secure ??= new SecureAppSession({
      ...this.o.secure,
      tag: { bleSession: this },
      paceDeltasMs: BLE_DELTA_PACE_MS,
      send: (f) => this.send(f),
      end: (revoked) => this.end(revoked ? "the app was removed" : "the hub closed the session"),
    });
    try {
      this.secure.frame(frame);
    } catch (e) {
      if (!(e instanceof ChannelError || e instanceof RangeError)) throw e;
      this.end(e.message);
    }
  }

  private send(frame: Uint8Array): void {
    if (this.ended) return;
    const { chunks, nextSeq } = chunkMessage(frame, this.o.mtu(), this.seq);
    this.seq = nextSeq;
    for (const c of chunks) this.o.notify(c);
  }

  private end(why: string): void {
    if (this.ended) return;
    this.o.log?.("warn", `bluetooth: session ended: ${why}`);
    this.closed();
    this.o.disconnect(why);
  }
}
