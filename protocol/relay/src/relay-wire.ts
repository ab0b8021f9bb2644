/**
 * @module The relay's wire format (remote access, docs/remote.md): how a hub proves its identity to
 * a relay, the ticket a hub signs so one of its paired apps may join it there, and the frames. The
 * relay routes opaque binary frames between a hub and its apps; what is inside is end-to-end
 * encrypted between them and none of the relay's business.
 *
 * Hub (`/hub`): relay → `challenge {nonce}`; hub → `hub_hello {public_key, signature}` (Ed25519 over
 * HUB_PROOF_CONTEXT + nonce; the hub's id is the one its key certifies); relay → `ready {hub_id}`.
 * App (`/app`): relay → `challenge {nonce}`; app → `app_hello {ticket, public_key, signature}` (the
 * ticket its hub signed for it, and Ed25519 over APP_PROOF_CONTEXT + nonce by the key the ticket's
 * app id certifies: a ticket is worth nothing without the paired app's secret key, so it may live
 * long enough for a phone that was away for weeks); relay → `joined {hub_id}` and hub ←
 * `session_open {session, app_id}`. Then binary frames: app → relay → hub with a 4-byte big-endian
 * session id in front; hub → relay → app the same way (the relay strips it). Hub → `close_session
 * {session, revoked}` ends one app's session (4403 to a revoked app, else 4410); the app's socket closing → hub ←
 * `session_closed {session}`.
 *
 * Pairing away from home (`/app`): relay → `challenge`; app → `pair_hello {hub_id}` (no ticket: the
 * app has no keys yet); relay → `joined {hub_id, pairing: true}`, hub ← `session_open {session,
 * app_id: null, pairing: true}`. Such a session carries plain JSON (UTF-8 frames, not sealed): the
 * app's `http` requests for /api/pairing/begin and /finish only, the hub's `http_result` answers,
 * then `remote_ticket` for the new app, and the hub ends it. Pairing itself is what protects it: the
 * app and the hub prove to each other that they know the one-time secret of an invite a paired
 * app made, over both keys, so a relay that changes a key or a byte makes the pairing fail.
 *
 * Inside the end-to-end channel every plaintext is [flags u8][bytes]: a message larger than one
 * frame is cut into pieces (flag FRAGMENT_MORE on all but the last) and joined again at the far end.
 */
import { concatBytes, fromBase64Url, toBase64Url, utf8 } from "../../auth/src/encoding.ts";
import { ID_PATTERN, idForPublicKey, type Signer } from "../../auth/src/keys.ts";

export const RELAY_VERSION = 1;
export const HUB_PROOF_CONTEXT = "brewos-relay-hub-v1\n";
export const TICKET_CONTEXT = "brewos-relay-ticket-v1\n";
export const APP_PROOF_CONTEXT = "brewos-relay-app-v1\n";
/** A ticket lives at most this long; the app asks for a new one while connected once half is gone. */
export const TICKET_MAX_LIFE_MS = 30 * 86_400_000;
/** Largest frame either side may send (binary, session prefix included). */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Time to say hello after connecting. */
export const HELLO_TIMEOUT_MS = 5000;
export const SESSION_PREFIX_BYTES = 4;
/** Pairing sessions the relay opens to one hub a minute (each instance); more are refused (too_fast). */
export const PAIRING_SESSIONS_PER_MINUTE = 6;
/** A pairing session lives this long at most (the hub ends it). */
export const PAIRING_SESSION_MS = 120_000;
/** Requests one pairing session may carry (begin and finish, with one retry each). */
export const PAIRING_SESSION_REQUESTS = 4;

/** Close codes the relay uses (also in docs/remote.md). */
export const RELAY_CLOSE = {
  /** No hello in time, or a hello that is not one. */
  no_hello: 4400,
  /** The hub's proof or the app's ticket did not verify (forged, expired, too long, another hub's). */
  refused: 4401,
  /** The hub ended this app's session: the app was revoked. */
  ended_by_hub: 4403,
  /** The hub ended this app's session for another reason (its channel failed, the hub stopped it). */
  session_ended: 4410,
  /** The hub is not connected to this relay (or went away). */
  hub_offline: 4404,
  /** The same hub connected again: the older socket is closed. */
  replaced: 4409,
  /** Too many frames, or too slow to read what was sent. */
  too_fast: 4429,
  too_slow: 4408,
  /** A frame that is not allowed (text where binary belongs, a wrong session). */
  bad_frame: 4422,
} as const;

export interface TicketClaims {
  v: typeof RELAY_VERSION;
  /** The hub this ticket opens. */
  hub: string;
  /** The paired app it was issued to. */
  app: string;
  /** Expiry, ms since the epoch. */
  exp: number;
}

/** The hub signs a ticket for one of its paired apps. */
export function issueTicket(claims: Omit<TicketClaims, "v">, hub: Signer): string {
  const body = ticketBody(claims);
  return `${body}.${toBase64Url(hub.sign(ticketMessage(body)))}`;
}

/** A ticket's first part (its claims), and the bytes the hub signs for it. */
export const ticketBody = (claims: Omit<TicketClaims, "v">): string => toBase64Url(utf8(JSON.stringify({ v: RELAY_VERSION, ...claims })));
export const ticketMessage = (body: string): Uint8Array => utf8(TICKET_CONTEXT + body);

/** A ticket read and its time checked, signature not yet: what to verify it against. */
export type TicketRead = { ok: true; claims: TicketClaims; signed: Uint8Array; signature: Uint8Array } | { ok: false; why: string };

/** A `body.signature` token (both base64url, the body JSON) taken apart; null when it is not one. */
export function splitSigned(
  token: string,
  maxLength = 2048,
): { body: string; fields: Record<string, unknown>; signature: Uint8Array } | null {
  const [body, sig, extra] = token.split(".");
  if (!body || !sig || extra !== undefined || token.length > maxLength) return null;
  let fields: unknown;
  try {
    fields = JSON.parse(new TextDecoder().decode(fromBase64Url(body) ?? new Uint8Array()));
  } catch {
    return null;
  }
  const signature = fromBase64Url(sig);
  if (typeof fields !== "object" || fields === null || Array.isArray(fields) || !signature || signature.length !== 64) return null;
  return { body, fields: fields as Record<string, unknown>, signature };
}

export function readTicket(ticket: string, nowMs: number): TicketRead {
  const t = splitSigned(ticket);
  const claims = t?.fields as TicketClaims | undefined;
  if (!t || !claims) return { ok: false, why: "not a ticket" };
  if (claims.v !== RELAY_VERSION || typeof claims.hub !== "string" || typeof claims.app !== "string" || typeof claims.exp !== "number")
    return { ok: false, why: "not a ticket" };
  if (!ID_PATTERN.test(claims.hub) || !ID_PATTERN.test(claims.app)) return { ok: false, why: "not a ticket" };
  if (claims.exp <= nowMs) return { ok: false, why: "expired" };
  if (claims.exp > nowMs + TICKET_MAX_LIFE_MS + 60_000) return { ok: false, why: "lives too long" };
  return { ok: true, claims, signed: ticketMessage(t.body), signature: t.signature };
}

/** The bytes a hub signs to answer a relay's challenge. */
export const hubProofMessage = (nonce: string): Uint8Array => utf8(HUB_PROOF_CONTEXT + nonce);

/** The hub's answer to a relay's challenge. */
export function hubProof(nonce: string, hub: Signer) {
  return {
    type: "hub_hello" as const,
    v: RELAY_VERSION,
    public_key: toBase64Url(hub.publicKey),
    signature: toBase64Url(hub.sign(hubProofMessage(nonce))),
  };
}

/** The bytes an app signs to answer a relay's challenge. */
export const appProofMessage = (nonce: string): Uint8Array => utf8(APP_PROOF_CONTEXT + nonce);

/** The app's answer to a relay's challenge: its ticket, and proof that it holds the ticket's key. */
export function appHello(ticket: string, nonce: string, app: Signer) {
  return {
    type: "app_hello" as const,
    v: RELAY_VERSION,
    ticket,
    public_key: toBase64Url(app.publicKey),
    signature: toBase64Url(app.sign(appProofMessage(nonce))),
  };
}

/** An app without keys asks to pair with a hub through the relay (docs/remote.md, "Pairing away from home"). */
export const pairHello = (hubId: string) => ({ type: "pair_hello" as const, v: RELAY_VERSION, hub_id: hubId });

/** The hub's last word in a pairing session: the new app's ticket, so it can join at the relay at once. */
export interface RemoteTicketMessage {
  type: "remote_ticket";
  relay_url: string;
  ticket: string;
  hub_id: string;
  exp_ms: number;
}

/** A proof of a key read (the key, its signature, the id it certifies), not yet verified. */
export function readKeyProof(m: {
  public_key?: unknown;
  signature?: unknown;
}): { publicKey: Uint8Array; signature: Uint8Array; id: string } | null {
  if (typeof m.public_key !== "string" || typeof m.signature !== "string") return null;
  const publicKey = fromBase64Url(m.public_key);
  const signature = fromBase64Url(m.signature);
  if (!publicKey || !signature || publicKey.length !== 32 || signature.length !== 64) return null;
  return { publicKey, signature, id: idForPublicKey(publicKey) };
}

/** A binary frame with its session id in front (hub side). */
export function withSession(session: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(SESSION_PREFIX_BYTES + payload.length);
  out[0] = session >>> 24;
  out[1] = session >>> 16;
  out[2] = session >>> 8;
  out[3] = session;
  out.set(payload, SESSION_PREFIX_BYTES);
  return out;
}

export function splitSession(frame: Uint8Array): { session: number; payload: Uint8Array } | null {
  const session = sessionOf(frame);
  return session < 0 ? null : { session, payload: frame.subarray(SESSION_PREFIX_BYTES) };
}

/** A hub-side frame's session id, read without allocating (the relay does it per frame); -1: too short. */
export function sessionOf(frame: Uint8Array): number {
  if (frame.length < SESSION_PREFIX_BYTES) return -1;
  return (((frame[0] as number) << 24) | ((frame[1] as number) << 16) | ((frame[2] as number) << 8) | (frame[3] as number)) >>> 0;
}

/** Flag on a channel plaintext: more pieces of this message follow. */
export const FRAGMENT_MORE = 1;
/** Plaintext per piece: a sealed piece (9 B header, 16 B tag) plus the session prefix stays in a frame. */
export const FRAGMENT_BYTES = MAX_FRAME_BYTES - SESSION_PREFIX_BYTES - 64;
/** The largest message either side joins from pieces. */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

/** One message as the plaintexts to seal, in order. */
export function fragment(message: Uint8Array, pieceBytes = FRAGMENT_BYTES): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at === 0 || at < message.length; at += pieceBytes) {
    const piece = message.subarray(at, at + pieceBytes);
    const last = at + pieceBytes >= message.length;
    const p = new Uint8Array(1 + piece.length);
    p[0] = last ? 0 : FRAGMENT_MORE;
    p.set(piece, 1);
    out.push(p);
  }
  return out;
}

/** Joins pieces back into messages; throws RangeError on a message over the limit or a bad piece. */
export class Reassembler {
  private pieces: Uint8Array[] = [];
  private bytes = 0;

  constructor(private readonly maxBytes = MAX_MESSAGE_BYTES) {}

  /** The whole message once its last piece arrived, else null. */
  push(plaintext: Uint8Array): Uint8Array | null {
    const flags = plaintext[0];
    if (flags === undefined || (flags & ~FRAGMENT_MORE) !== 0) throw new RangeError("not a message piece");
    this.bytes += plaintext.length - 1;
    if (this.bytes > this.maxBytes) throw new RangeError(`a message over ${this.maxBytes} bytes`);
    this.pieces.push(plaintext.subarray(1));
    if (flags & FRAGMENT_MORE) return null;
    const whole = concatBytes(...this.pieces);
    this.pieces = [];
    this.bytes = 0;
    return whole;
  }
}
