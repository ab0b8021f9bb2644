/**
 * @module This app's way in from outside the house, per machine: the relay's address and the ticket
 * the machine signed for this app (docs/remote.md). Kept beside the pairing key on the machine's own
 * origin; useless without that key. Asked for again whenever the app is connected and half the
 * ticket's life is gone.
 */

export interface RemoteTicket {
  relay_url: string;
  ticket: string;
  hub_id: string;
  exp_ms: number;
  /** When this app got it (the renewal rule's start). */
  got_ms: number;
}

const key = (hubUrl: string) => `brewos.remote.${hubUrl}`;

/** The ticket for this machine, or null when there is none or it has run out. */
export function remoteTicketFor(hubUrl: string, now = Date.now()): RemoteTicket | null {
  try {
    const t = JSON.parse(localStorage.getItem(key(hubUrl)) ?? "null") as RemoteTicket | null;
    if (!t || typeof t.ticket !== "string" || typeof t.relay_url !== "string" || !(t.exp_ms > now)) return null;
    return t;
  } catch {
    return null;
  }
}

export function saveRemoteTicket(hubUrl: string, t: RemoteTicket): void {
  localStorage.setItem(key(hubUrl), JSON.stringify(t));
}

export function forgetRemoteTicket(hubUrl: string): void {
  localStorage.removeItem(key(hubUrl));
}

/** Whether to ask the machine for a new ticket now: none yet, or half of this one's life is gone. */
export function ticketWantsRenewal(t: RemoteTicket | null, now = Date.now()): boolean {
  return !t || now >= t.got_ms + (t.exp_ms - t.got_ms) / 2;
}
