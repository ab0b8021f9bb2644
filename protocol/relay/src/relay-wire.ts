/**
 * @module The relay's wire format (remote access, docs/remote.md): how a hub proves its identity to
 * a relay, the ticket a hub signs so one of its paired apps may join it there, and the frames. The
 * relay routes opaque binary frames between a hub and its apps; what is inside is end-to-end
 * encrypted between them and none of the relay's business.
 *
 * Hub (`/hub`): relay → `challenge {nonce}`; hub → `hub_hello {public_key, signature}` (Ed25519 over
 * HUB_PROOF_CONTEXT + nonce; the hub's id is the one its key certifies); relay → `ready {hub_id}`.
 * App (`/app`): app → `app_hello {ticket}`; relay → `joined {hub_id}` and hub ← `session_open
 * {session, app_id}`. Then binary frames: app → relay → hub with a 4-byte big-endian session id in
 * front; hub → relay → app the same way (the relay strips it). Hub → `close_session {session}` ends
 * one app's session (a revoked app); the app's socket closing → hub ← `session_closed {session}`.
 */
import { fromBase64Url, toBase64Url, utf8 } from "../../auth/src/encoding.ts";
import { ID_PATTERN, idForPublicKey, type Signer } from "../../auth/src/keys.ts";

export const RELAY_VERSION = 1;
export const HUB_PROOF_CONTEXT = "brewos-relay-hub-v1\n";
export const TICKET_CONTEXT = "brewos-relay-ticket-v1\n";
/** A ticket lives at most this long; the hub renews it while the app is connected. */
export const TICKET_MAX_LIFE_MS = 15 * 60_000;
/** Largest frame either side may send (binary, session prefix included). */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Time to say hello after connecting. */
export const HELLO_TIMEOUT_MS = 5000;
export const SESSION_PREFIX_BYTES = 4;

/** Close codes the relay uses (also in docs/remote.md). */
export const RELAY_CLOSE = {
  /** No hello in time, or a hello that is not one. */
  no_hello: 4400,
  /** The hub's proof or the app's ticket did not verify (forged, expired, too long, another hub's). */
  refused: 4401,
  /** The hub ended this app's session (the app was revoked). */
  ended_by_hub: 4403,
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

export function readTicket(ticket: string, nowMs: number): TicketRead {
  const [body, sig, extra] = ticket.split(".");
  if (!body || !sig || extra !== undefined || ticket.length > 2048) return { ok: false, why: "not a ticket" };
  const raw = fromBase64Url(body);
  let claims: TicketClaims;
  try {
    claims = JSON.parse(new TextDecoder().decode(raw ?? new Uint8Array())) as TicketClaims;
  } catch {
    return { ok: false, why: "not a ticket" };
  }
  if (claims?.v !== RELAY_VERSION || typeof claims.hub !== "string" || typeof claims.app !== "string" || typeof claims.exp !== "number")
    return { ok: false, why: "not a ticket" };
  if (!ID_PATTERN.test(claims.hub) || !ID_PATTERN.test(claims.app)) return { ok: false, why: "not a ticket" };
  const signature = fromBase64Url(sig);
  if (!signature) return { ok: false, why: "bad signature" };
  if (claims.exp <= nowMs) return { ok: false, why: "expired" };
  if (claims.exp > nowMs + TICKET_MAX_LIFE_MS + 60_000) return { ok: false, why: "lives too long" };
  return { ok: true, claims, signed: ticketMessage(body), signature };
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

/** A hub's proof read (key and signature), not yet verified. */
export function readHubProof(m: {
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
  new DataView(out.buffer).setUint32(0, session);
  out.set(payload, SESSION_PREFIX_BYTES);
  return out;
}

export function splitSession(frame: Uint8Array): { session: number; payload: Uint8Array } | null {
  if (frame.length < SESSION_PREFIX_BYTES) return null;
  return {
    session: new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0),
    payload: frame.subarray(SESSION_PREFIX_BYTES),
  };
}
