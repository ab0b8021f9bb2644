/**
 * @module A machine claimed by an account (docs/remote.md, "Accounts"): the hub signs, for one of
 * its paired apps, that an OpenID Connect account (issuer and subject) may list it. The relay keeps
 * the claim and shows the machine in that account's device list on every phone signed in to it —
 * and nothing more: a claim opens nothing; a new phone still pairs with the machine for its keys.
 */
import { toBase64Url, utf8 } from "../../auth/src/encoding.ts";
import { ID_PATTERN, type Signer } from "../../auth/src/keys.ts";
import { RELAY_VERSION, splitSigned } from "./relay-wire.ts";

export const CLAIM_CONTEXT = "brewos-relay-claim-v1\n";

export interface AccountClaim {
  v: typeof RELAY_VERSION;
  /** The machine claimed. */
  hub: string;
  /** The account: its issuer and the subject the issuer gives it. */
  iss: string;
  sub: string;
  /** The machine's name for people, when the claim was signed. */
  name: string;
  at_ms: number;
}

export const claimMessage = (body: string): Uint8Array => utf8(CLAIM_CONTEXT + body);

export function issueClaim(fields: Omit<AccountClaim, "v">, hub: Signer): string {
  const body = toBase64Url(utf8(JSON.stringify({ v: RELAY_VERSION, ...fields })));
  return `${body}.${toBase64Url(hub.sign(claimMessage(body)))}`;
}

export type ClaimRead = { ok: true; claim: AccountClaim; signed: Uint8Array; signature: Uint8Array } | { ok: false; why: string };

/** A claim read, its signature not yet checked (against the hub's key in the registry). */
export function readClaim(token: string): ClaimRead {
  const t = splitSigned(token, 4096);
  const c = t?.fields as AccountClaim | undefined;
  if (!t || !c || c.v !== RELAY_VERSION) return { ok: false, why: "not a claim" };
  const text = (v: unknown, max: number) => typeof v === "string" && v.length > 0 && v.length <= max;
  if (typeof c.hub !== "string" || !ID_PATTERN.test(c.hub) || !text(c.iss, 256) || !text(c.sub, 256) || !text(c.name, 80))
    return { ok: false, why: "not a claim" };
  if (typeof c.at_ms !== "number") return { ok: false, why: "not a claim" };
  return { ok: true, claim: c, signed: claimMessage(t.body), signature: t.signature };
}
