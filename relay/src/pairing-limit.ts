/**
 * @module How often phones may start pairing with one hub through this relay instance
 * (PAIRING_SESSIONS_PER_MINUTE, docs/remote.md "Pairing away from home"): a sliding minute per hub.
 */
import { PAIRING_SESSIONS_PER_MINUTE } from "@brewos/protocol/relay";

const MINUTE_MS = 60_000;
/** Above this many hubs tracked, the idle ones are forgotten. */
const MAX_TRACKED = 10_000;

export class PairingLimit {
  private readonly starts = new Map<string, number[]>();

  /** Whether one more pairing session for `hubId` may start now (counted when it may). */
  allow(hubId: string, now: number): boolean {
    const recent = (this.starts.get(hubId) ?? []).filter((at) => now - at < MINUTE_MS);
    const ok = recent.length < PAIRING_SESSIONS_PER_MINUTE;
    if (ok) recent.push(now);
    this.starts.set(hubId, recent);
    if (this.starts.size > MAX_TRACKED)
      for (const [id, at] of this.starts) if (!at.some((t) => now - t < MINUTE_MS)) this.starts.delete(id);
    return ok;
  }
}
