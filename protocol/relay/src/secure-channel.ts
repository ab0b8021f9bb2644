/**
 * @module End-to-end encryption between an app and its hub through a relay (docs/remote.md). Both
 * already know each other's Ed25519 key from pairing; the relay knows neither's secrets.
 *
 * Handshake (SIGMA-style: fresh X25519 keys, each side signs both of them with its static key):
 *   app → hub  HELLO  [1][e_app 32][app id 26]
 *   hub → app  REPLY  [2][e_hub 32][sig_hub 64]   sig_hub = Ed25519(hub, CONTEXT|"hub"|e_app|e_hub|app id)
 *   app → hub  first sealed frame: sig_app 64      sig_app = Ed25519(app, CONTEXT|"app"|e_app|e_hub|hub id)
 * Keys: HKDF-SHA256(X25519(e, e'), salt e_app|e_hub) → app→hub and hub→app ChaCha20-Poly1305 keys.
 * Sealed frames: [3][counter 8][ciphertext+tag]; each direction counts from 0 and a frame whose
 * counter is not the next one (replayed, dropped, reordered) or whose tag fails ends the session.
 */
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, utf8 } from "../../auth/src/encoding.ts";
import { type Signer, sign, verify } from "../../auth/src/keys.ts";

const CONTEXT = "brewos-e2e-v1|";
const HELLO = 1;
const REPLY = 2;
const SEALED = 3;
const KEY = 32;
const ID_LENGTH = 26;
const SIG = 64;

export class ChannelError extends Error {}

interface Statics {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

const concat = concatBytes;
const transcript = (who: "app" | "hub", eApp: Uint8Array, eHub: Uint8Array, id: string) =>
  concat(utf8(`${CONTEXT}${who}|`), eApp, eHub, utf8(id));

function deriveKeys(shared: Uint8Array, eApp: Uint8Array, eHub: Uint8Array) {
  const okm = hkdf(sha256, shared, concat(eApp, eHub), utf8(`${CONTEXT}keys`), 2 * KEY);
  return { appToHub: okm.slice(0, KEY), hubToApp: okm.slice(KEY) };
}

/** One direction-pair of an established channel: seal what goes out, open what comes in. */
export class SecureSession {
  private sent = 0n;
  private received = 0n;
  private closed = false;

  constructor(
    private readonly sendKey: Uint8Array,
    private readonly receiveKey: Uint8Array,
  ) {}

  seal(plaintext: Uint8Array): Uint8Array {
    if (this.closed) throw new ChannelError("the session has ended");
    const counter = this.sent++;
    const head = new Uint8Array(9);
    head[0] = SEALED;
    new DataView(head.buffer).setBigUint64(1, counter);
    return concat(head, chacha20poly1305(this.sendKey, nonceFor(counter), head).encrypt(plaintext));
  }

  /** The plaintext, or a ChannelError (tampered, replayed, out of order): the session is then over. */
  open(frame: Uint8Array): Uint8Array {
    if (this.closed) throw new ChannelError("the session has ended");
    if (frame.length < 9 + 16 || frame[0] !== SEALED) return this.fail("not a sealed frame");
    const counter = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getBigUint64(1);
    if (counter !== this.received) return this.fail(`frame ${counter} where ${this.received} was next (replayed, lost or reordered)`);
    try {
      const plain = chacha20poly1305(this.receiveKey, nonceFor(counter), frame.subarray(0, 9)).decrypt(frame.subarray(9));
      this.received++;
      return plain;
    } catch {
      return this.fail("a frame was changed on the way");
    }
  }

  private fail(why: string): never {
    this.closed = true;
    throw new ChannelError(why);
  }
}

function nonceFor(counter: bigint): Uint8Array {
  const n = new Uint8Array(12);
  new DataView(n.buffer).setBigUint64(4, counter);
  return n;
}

/** The app's side: knows its own keys and id, and the hub's key and id from pairing. */
export class AppHandshake {
  private readonly e = x25519.keygen();

  constructor(
    private readonly app: Statics & { id: string },
    private readonly hub: { publicKey: Uint8Array; id: string },
  ) {}

  hello(): Uint8Array {
    return concat(Uint8Array.of(HELLO), this.e.publicKey, utf8(this.app.id));
  }

  /** The hub's reply: its signature checked; returns the session and the frame that proves this app. */
  reply(frame: Uint8Array): { session: SecureSession; proof: Uint8Array } {
    if (frame.length !== 1 + KEY + SIG || frame[0] !== REPLY) throw new ChannelError("not a handshake reply");
    const eHub = frame.slice(1, 1 + KEY);
    const sigHub = frame.slice(1 + KEY);
    if (!verify(sigHub, transcript("hub", this.e.publicKey, eHub, this.app.id), this.hub.publicKey))
      throw new ChannelError("the reply is not signed by the paired hub");
    const k = deriveKeys(x25519.getSharedSecret(this.e.secretKey, eHub), this.e.publicKey, eHub);
    const session = new SecureSession(k.appToHub, k.hubToApp);
    const proof = session.seal(sign(transcript("app", this.e.publicKey, eHub, this.hub.id), this.app.secretKey));
    return { session, proof };
  }
}

/** The hub's side of one app's handshake. `appKey` finds a paired app's public key (null: not paired). */
export class HubHandshake {
  private readonly e = x25519.keygen();
  private pending: { eApp: Uint8Array; appId: string; session: SecureSession; appKey: Uint8Array } | null = null;

  constructor(
    private readonly hub: Signer & { id: string },
    private readonly appKey: (appId: string) => Uint8Array | null,
  ) {}

  hello(frame: Uint8Array): Uint8Array {
    if (frame.length !== 1 + KEY + ID_LENGTH || frame[0] !== HELLO) throw new ChannelError("not a handshake hello");
    const eApp = frame.slice(1, 1 + KEY);
    const appId = new TextDecoder().decode(frame.slice(1 + KEY));
    const appKey = this.appKey(appId);
    if (!appKey) throw new ChannelError("that app is not paired with this hub");
    const k = deriveKeys(x25519.getSharedSecret(this.e.secretKey, eApp), eApp, this.e.publicKey);
    this.pending = { eApp, appId, appKey, session: new SecureSession(k.hubToApp, k.appToHub) };
    return concat(Uint8Array.of(REPLY), this.e.publicKey, this.hub.sign(transcript("hub", eApp, this.e.publicKey, appId)));
  }

  /** The app's proof: the session once the paired app's signature checks out. */
  proof(frame: Uint8Array): { session: SecureSession; appId: string } {
    const p = this.pending;
    if (!p) throw new ChannelError("proof before hello");
    this.pending = null;
    const sig = p.session.open(frame);
    if (!verify(sig, transcript("app", p.eApp, this.e.publicKey, this.hub.id), p.appKey))
      throw new ChannelError("the proof is not signed by the paired app");
    return { session: p.session, appId: p.appId };
  }
}
