/**
 * @module Moving this app from the machine's plain-HTTP address to its trusted HTTPS one
 * (docs/lan-https.md). The app's key lives in this origin's storage and cannot cross origins, so
 * the app asks the machine for a pairing code (it may: it is paired) and opens the pairing link at
 * the secure origin; there it pairs anew with one tap and removes this pairing (`m`).
 */
import { pairingLink, parsePairingLink } from "@brewos/protocol/auth";
import { hubApi } from "../shared/hub-api.ts";
import { credentialsFor } from "./credentials.ts";
import { currentHubUrl } from "./hub-address.ts";

/** The link that pairs the app at `origin`, naming this app's old id for removal. */
export async function secureOriginLink(origin: string): Promise<string> {
  const code = await hubApi.pairingCode();
  const offer = parsePairingLink(code.link);
  if (!offer) throw new Error("the machine's pairing link could not be read");
  const link = pairingLink({ ...offer, bases: [origin, ...offer.bases.filter((b) => b !== origin)] });
  const me = credentialsFor(currentHubUrl());
  return me ? `${link}&m=${me.appId}` : link;
}

export async function moveToSecureOrigin(origin: string): Promise<void> {
  location.assign(await secureOriginLink(origin));
}
