/**
 * @module The app's side of the BrewOS GATT service (docs/api/ble.md), whatever carries the bytes
 * (Web Bluetooth in the app; a scripted central in the hub's tests): frames cut into chunks for
 * the MTU and written one at a time, the hub's chunks joined back. Before the app has keys, `fetch`
 * carries POST /api/pairing/begin and /finish as `http` messages, so `pairWithHub({ fetch })` runs
 * unchanged; with keys, `openChannel` runs the end-to-end handshake of ../../relay/src/secure-channel
 * and the /ws messages travel sealed.
 */
import { utf8 } from "../../auth/src/encoding.ts";
import { fragment, Reassembler } from "../../relay/src/relay-wire.ts";
import { AppHandshake, type SecureSession } from "../../relay/src/secure-channel.ts";
import { ChunkJoiner, chunkMessage } from "./chunking.ts";

export interface BleClientIo {
  /** Writes one chunk to the service's write characteristic (resolves when the write is done). */
  write(chunk: Uint8Array): Promise<void>;
  /** The ATT MTU of the connection (23 until negotiated). */
  mtu(): number;
}

export class BleClientError extends Error {}

const BRACE = 0x7b; /* "{": a pairing message; channel frames start with 1, 2 or 3 */

export class BrewosBleClient {
  private readonly joiner = new ChunkJoiner();
  private seq = 0;
  private writing: Promise<void> = Promise.resolve();
  private nextId = 0;
  private readonly waiting = new Map<string, (r: Response) => void>();
  private frameWaiter: ((f: Uint8Array) => void) | null = null;
  private session: SecureSession | null = null;
  private readonly pieces = new Reassembler();
  private readonly listeners: ((text: string) => void)[] = [];
  /** Set by the hub's last pairing message. */
  pairedAppId: string | null = null;

  constructor(private readonly io: BleClientIo) {}

  /** Every value the hub notified (or a non-empty value read from the notify characteristic). */
  notified(chunk: Uint8Array): void {
    const r = this.joiner.push(chunk);
    if (r.kind === "message" || (r.kind === "resync" && r.message)) this.frame(r.message as Uint8Array);
  }

  /** `fetch` for pairWithHub: the pairing requests as `http` messages. */
  readonly fetch = async (url: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const path = new URL(String(url instanceof Request ? url.url : url), "http://hub").pathname;
    const id = `p${++this.nextId}`;
    const answer = new Promise<Response>((ok) => this.waiting.set(id, ok));
    await this.sendFrame(utf8(JSON.stringify({ type: "http", id, method: init.method ?? "GET", path, body: String(init.body ?? "") })));
    return answer;
  };

  /** The end-to-end channel as this paired app; resolves once the hub accepted its proof. */
  async openChannel(app: { secretKey: Uint8Array; publicKey: Uint8Array; id: string }, hub: { publicKey: Uint8Array; id: string }) {
    const hs = new AppHandshake(app, hub);
    const reply = this.nextFrame();
    await this.sendFrame(hs.hello());
    const { session, proof } = hs.reply(await reply);
    this.session = session;
    await this.sendFrame(proof);
  }

  /** One /ws message to the hub, sealed. */
  send(message: object): Promise<void> {
    return this.sendText(JSON.stringify(message));
  }

  async sendText(text: string): Promise<void> {
    const s = this.session;
    if (!s) throw new BleClientError("no channel: open it first");
    for (const piece of fragment(utf8(text))) await this.sendFrame(s.seal(piece));
  }

  /** Each /ws message the hub sent in the channel, as text. */
  onText(f: (text: string) => void): void {
    this.listeners.push(f);
  }

  onMessage(f: (m: Record<string, unknown>) => void): void {
    this.onText((text) => f(JSON.parse(text) as Record<string, unknown>));
  }

  get channelOpen(): boolean {
    return this.session !== null;
  }

  get resyncs(): number {
    return this.joiner.resyncs;
  }

  /** One frame, as chunks, after the writes before it. */
  sendFrame(frame: Uint8Array): Promise<void> {
    const { chunks, nextSeq } = chunkMessage(frame, this.io.mtu(), this.seq);
    this.seq = nextSeq;
    const done = this.writing.then(async () => {
      for (const c of chunks) await this.io.write(c);
    });
    this.writing = done.catch(() => undefined);
    return done;
  }

  private nextFrame(): Promise<Uint8Array> {
    return new Promise((ok) => {
      this.frameWaiter = ok;
    });
  }

  private frame(frame: Uint8Array): void {
    // A pairing message (JSON) may still arrive after the channel's hello went out: it is not the reply.
    if (this.frameWaiter && frame[0] !== BRACE) {
      const w = this.frameWaiter;
      this.frameWaiter = null;
      w(frame);
      return;
    }
    if (this.session && frame[0] !== BRACE) {
      const whole = this.pieces.push(this.session.open(frame));
      if (!whole) return;
      const text = new TextDecoder().decode(whole);
      for (const l of this.listeners) l(text);
      return;
    }
    let m: { type?: unknown; id?: unknown; status?: unknown; body?: unknown; content_type?: unknown; app_id?: unknown };
    try {
      m = JSON.parse(new TextDecoder().decode(frame)) as typeof m;
    } catch {
      return;
    }
    if (m.type === "http_result" && typeof m.id === "string") {
      const ok = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      ok?.(
        new Response(typeof m.body === "string" ? m.body : null, {
          status: typeof m.status === "number" ? m.status : 502,
          headers: { "content-type": typeof m.content_type === "string" ? m.content_type : "application/json" },
        }),
      );
    } else if (m.type === "paired" && typeof m.app_id === "string") {
      this.pairedAppId = m.app_id;
    }
  }
}
