/**
 * @module Pairing on the hub (docs/api/pairing.md). A pairing window holds two one-time secrets —
 * a typed code (40 bits) and the QR code's secret (128 bits) — for a few minutes. An app begins
 * with its public key and a nonce and gets the hub's key and a nonce; it finishes with an HMAC
 * over both keys, both nonces and its name, keyed with a secret it was shown. The first success
 * closes the window (single use); five wrong proofs close it too, and at most ten attempts a
 * minute are heard at all, so a typed code cannot be guessed in its lifetime.
 */
import { equalBytes, fromBase64Url, NONCE_BYTES, pairingMac, toBase64Url, typedCodeFrom } from "@brewos/protocol/auth";
import type { PairFinishRequest } from "@brewos/protocol/auth/messages";
import type { HubIdentity } from "./identity.ts";
import type { PairedApp, PairedApps } from "./paired-apps.ts";

export const PAIRING_TTL_MS = 10 * 60_000;
const MAX_FAILURES = 5;
/** Wrong proofs a minute, over every window. */
const ATTEMPTS_PER_MINUTE = 10;
const HANDSHAKE_TTL_MS = 2 * 60_000;
const MAX_HANDSHAKES = 32;

interface Window {
  typed: string;
  secret: string;
  expiresAtMs: number;
  failures: number;
}

export type FinishResult =
  | { ok: true; app: PairedApp; hubMac: string }
  | { ok: false; status: 400 | 401 | 410 | 429; code: string; message: string };

export interface PairingOptions {
  identity: HubIdentity;
  apps: PairedApps;
  ttlMs?: number;
  now?: () => number;
  log?: (level: "info" | "warn", text: string) => void;
}

export class Pairing {
  private window: Window | null = null;
  private readonly handshakes = new Map<string, { hubNonce: Uint8Array; atMs: number }>();
  private attempts: number[] = [];
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly o: PairingOptions) {
    this.ttlMs = o.ttlMs ?? PAIRING_TTL_MS;
    this.now = o.now ?? Date.now;
  }

  /** The open window's codes (opening one if none is open). */
  open(): { typed: string; secret: string; expiresAtMs: number } {
    const w = this.current() ?? this.newWindow();
    return { typed: w.typed, secret: w.secret, expiresAtMs: w.expiresAtMs };
  }

  /** Whether a window is open now. */
  get isOpen(): boolean {
    return this.current() !== null;
  }

  close(): void {
    this.window = null;
  }

  private current(): Window | null {
    if (this.window && this.now() >= this.window.expiresAtMs) this.window = null;
    return this.window;
  }

  private newWindow(): Window {
    const random = crypto.getRandomValues(new Uint8Array(5 + 16));
    this.window = {
      typed: typedCodeFrom(random.subarray(0, 5)),
      secret: toBase64Url(random.subarray(5)),
      expiresAtMs: this.now() + this.ttlMs,
      failures: 0,
    };
    return this.window;
  }

  /** Step 1: the app's key and nonce in, the hub's key and a fresh nonce out. */
  begin(appPublicKey: string): { hub_nonce: string; hub_public_key: string; device_id: string } {
    const t = this.now();
    for (const [k, h] of this.handshakes) if (t - h.atMs > HANDSHAKE_TTL_MS) this.handshakes.delete(k);
    while (this.handshakes.size >= MAX_HANDSHAKES) this.handshakes.delete(this.handshakes.keys().next().value as string);
    const hubNonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
    this.handshakes.set(appPublicKey, { hubNonce, atMs: t });
    return { hub_nonce: toBase64Url(hubNonce), hub_public_key: this.o.identity.publicKeyText, device_id: this.o.identity.deviceId };
  }

  /** Step 2: the app's proof; on success the app is paired and the window closes. */
  finish(r: PairFinishRequest): FinishResult {
    const t = this.now();
    this.attempts = this.attempts.filter((a) => t - a < 60_000);
    if (this.attempts.length >= ATTEMPTS_PER_MINUTE) {
      return { ok: false, status: 429, code: "rate_limited", message: "too many wrong pairing codes; wait a minute" };
    }
    const w = this.current();
    if (!w) {
      return {
        ok: false,
        status: 410,
        code: "pairing_closed",
        message: "no pairing code is open (it expired or was used); show a new one on the machine's display",
      };
    }
    const hs = this.handshakes.get(r.app_public_key);
    const hubNonce = fromBase64Url(r.hub_nonce);
    if (!hs || !hubNonce || !equalBytes(hs.hubNonce, hubNonce) || t - hs.atMs > HANDSHAKE_TTL_MS) {
      return { ok: false, status: 400, code: "pairing_restart", message: "this pairing attempt is unknown or too old; start again" };
    }
    this.handshakes.delete(r.app_public_key);
    const transcript = {
      hubPublicKey: this.o.identity.publicKey,
      appPublicKey: fromBase64Url(r.app_public_key) as Uint8Array,
      hubNonce,
      appNonce: fromBase64Url(r.app_nonce) as Uint8Array,
      appName: r.name,
    };
    const secret = r.via === "typed" ? w.typed : w.secret;
    const expected = pairingMac(secret, "app", transcript);
    const given = fromBase64Url(r.mac) ?? new Uint8Array();
    if (!equalBytes(expected, given)) {
      w.failures++;
      this.attempts.push(t);
      this.o.log?.("warn", `pairing: a wrong ${r.via === "typed" ? "code" : "QR secret"} (${w.failures} of ${MAX_FAILURES})`);
      if (w.failures >= MAX_FAILURES) {
        this.window = null;
        return {
          ok: false,
          status: 401,
          code: "pairing_failed",
          message: "wrong code; after five wrong codes the pairing code is withdrawn — show a new one on the machine",
        };
      }
      return { ok: false, status: 401, code: "pairing_failed", message: "wrong code; check it on the machine's display and try again" };
    }
    this.window = null;
    const app = this.o.apps.add(transcript.appPublicKey, r.name);
    this.o.log?.("info", `pairing: "${r.name}" paired (${app.id})`);
    return { ok: true, app, hubMac: toBase64Url(pairingMac(secret, "hub", transcript)) };
  }
}
