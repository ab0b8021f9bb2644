/**
 * @module The apps paired with this hub: each app's public key (its id is derived from it), the
 * name the person gave it, when it paired and when it was last seen. Revoking removes the key and
 * tells listeners at once (the live sockets of that app close).
 */
import type { Database } from "bun:sqlite";
import { idForPublicKey } from "@brewos/protocol/auth";

export interface PairedApp {
  id: string;
  name: string;
  paired_at_ms: number;
  last_seen_ms: number;
}

/** last_seen is written at most this often per app (every request would otherwise be a write). */
const SEEN_WRITE_MS = 60_000;

export class PairedApps {
  private readonly revokedListeners = new Set<(id: string) => void>();
  private readonly keys = new Map<string, Uint8Array>();
  private readonly seenWritten = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly now: () => number = Date.now,
  ) {
    for (const r of db.query<{ id: string; public_key: Uint8Array }, []>("SELECT id, public_key FROM paired_apps").all()) {
      this.keys.set(r.id, new Uint8Array(r.public_key));
    }
  }

  list(): PairedApp[] {
    return this.db.query<PairedApp, []>("SELECT id, name, paired_at_ms, last_seen_ms FROM paired_apps ORDER BY paired_at_ms").all();
  }

  get count(): number {
    return this.keys.size;
  }

  publicKey(id: string): Uint8Array | null {
    return this.keys.get(id) ?? null;
  }

  /** Stores a newly paired app (pairing the same key again renames it). */
  add(publicKey: Uint8Array, name: string): PairedApp {
    const id = idForPublicKey(publicKey);
    const t = this.now();
    this.db
      .query(
        `INSERT INTO paired_apps (id, public_key, name, paired_at_ms, last_seen_ms) VALUES ($id, $key, $name, $t, $t)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, last_seen_ms = excluded.last_seen_ms`,
      )
      .run({ id, key: publicKey, name, t });
    this.keys.set(id, publicKey);
    return { id, name, paired_at_ms: t, last_seen_ms: t };
  }

  rename(id: string, name: string): boolean {
    return this.db.query("UPDATE paired_apps SET name = $name WHERE id = $id").run({ id, name }).changes > 0;
  }

  seen(id: string): void {
    const t = this.now();
    if (t - (this.seenWritten.get(id) ?? 0) < SEEN_WRITE_MS) return;
    this.seenWritten.set(id, t);
    try {
      this.db.query("UPDATE paired_apps SET last_seen_ms = $t WHERE id = $id").run({ id, t });
    } catch {
      // Best effort: "last seen" must never fail the request it was noted for (a full disk).
    }
  }

  revoke(id: string): boolean {
    const gone = this.db.query("DELETE FROM paired_apps WHERE id = $id").run({ id }).changes > 0;
    this.keys.delete(id);
    this.seenWritten.delete(id);
    if (gone) for (const l of this.revokedListeners) l(id);
    return gone;
  }

  onRevoked(listener: (id: string) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }
}
