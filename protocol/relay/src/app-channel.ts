/**
 * @module The app's side of a relay connection, without the socket: answer the relay's challenge
 * with the ticket and proof of this app's key, run the end-to-end handshake with the paired hub
 * once joined, then carry whole text messages both ways (sealed, cut into pieces when large). The
 * app's transport and the tests drive it with what their socket receives.
 */
import { utf8 } from "../../auth/src/encoding.ts";
import { type KeyPair, signerFor } from "../../auth/src/keys.ts";
import { appHello, fragment, Reassembler } from "./relay-wire.ts";
import { AppHandshake, ChannelError, type SecureSession } from "./secure-channel.ts";

export interface AppChannelOptions {
  ticket: string;
  app: KeyPair & { id: string };
  hub: { publicKey: Uint8Array; id: string };
  /** Put bytes or a control message on the socket to the relay. */
  send(data: string | Uint8Array): void;
  /** The channel to the hub is open: messages may go both ways. */
  onOpen(): void;
  onMessage(text: string): void;
  /** Something the channel cannot go on from (a reply not from the paired hub, a changed frame). */
  onFail(why: string): void;
}

export type AppChannelStage = "challenge" | "joining" | "handshake" | "open" | "failed";

export class AppChannel {
  private stage: AppChannelStage = "challenge";
  private readonly handshake: AppHandshake;
  private session: SecureSession | null = null;
  private readonly pieces = new Reassembler();

  constructor(private readonly o: AppChannelOptions) {
    this.handshake = new AppHandshake(o.app, o.hub);
  }

  get state(): AppChannelStage {
    return this.stage;
  }

  /** One message from the relay's socket (text: control, binary: the hub's frames). */
  receive(data: string | Uint8Array): void {
    if (this.stage === "failed") return;
    try {
      if (typeof data === "string") this.control(data);
      else this.frame(data);
    } catch (e) {
      this.stage = "failed";
      this.o.onFail(e instanceof ChannelError || e instanceof RangeError ? e.message : `the channel failed: ${(e as Error).message}`);
    }
  }

  /** A whole message to the hub; false before the channel is open. */
  sendText(text: string): boolean {
    if (this.stage !== "open" || !this.session) return false;
    for (const piece of fragment(utf8(text))) this.o.send(this.session.seal(piece));
    return true;
  }

  private control(text: string): void {
    const m = JSON.parse(text) as { type?: string; nonce?: unknown };
    if (this.stage === "challenge" && m.type === "challenge" && typeof m.nonce === "string") {
      this.o.send(JSON.stringify(appHello(this.o.ticket, m.nonce, signerFor(this.o.app))));
      this.stage = "joining";
    } else if (this.stage === "joining" && m.type === "joined") {
      this.o.send(this.handshake.hello());
      this.stage = "handshake";
    }
  }

  private frame(bytes: Uint8Array): void {
    if (this.stage === "handshake") {
      const { session, proof } = this.handshake.reply(bytes);
      this.session = session;
      this.o.send(proof);
      this.stage = "open";
      this.o.onOpen();
      return;
    }
    if (this.stage !== "open" || !this.session) throw new ChannelError("a frame before the handshake");
    const whole = this.pieces.push(this.session.open(bytes));
    if (whole) this.o.onMessage(new TextDecoder().decode(whole));
  }
}
