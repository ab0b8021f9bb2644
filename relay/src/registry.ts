/**
 * @module The relay's registry (SQLite in its data folder): each hub that proved its key here, by
 * the id that key certifies — so an app's ticket can be checked while the hub is away, and nothing
 * else about anyone. An id cannot be taken over: it is derived from the key.
 */
import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export class Registry {
  readonly db: Database;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, "relay.sqlite"), { create: true, strict: true });
    this.db.exec("PRAGMA journal_mode = WAL");
    this.db.exec(
      "CREATE TABLE IF NOT EXISTS hubs (id TEXT PRIMARY KEY, public_key BLOB NOT NULL, first_seen_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL) STRICT",
    );
  }

  /** A hub proved its key now. */
  seen(id: string, publicKey: Uint8Array, nowMs: number): void {
    this.db
      .query(
        "INSERT INTO hubs (id, public_key, first_seen_ms, last_seen_ms) VALUES ($id, $pk, $now, $now) ON CONFLICT (id) DO UPDATE SET last_seen_ms = $now",
      )
      .run({ id, pk: publicKey, now: nowMs });
  }

  publicKey(id: string): Uint8Array | null {
    const row = this.db.query<{ public_key: Uint8Array }, { id: string }>("SELECT public_key FROM hubs WHERE id = $id").get({ id });
    return row ? new Uint8Array(row.public_key) : null;
  }

  count(): number {
    return this.db.query<{ n: number }, []>("SELECT COUNT(*) AS n FROM hubs").get()?.n ?? 0;
  }

  close(): void {
    this.db.close();
  }
}
