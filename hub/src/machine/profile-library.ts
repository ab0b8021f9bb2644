/**
 * @module People's own shot profiles, kept by the hub (the household's copy): created in the app's
 * editor or imported from a file, validated by the one profile parser, never clashing with a
 * bundled profile's id. Loading one onto the machine goes through the controller slots.
 */
import type { Database } from "bun:sqlite";
import { type Profile, ProfileError, parseProfile } from "@brewos/protocol/profile";

export type LibraryResult = { ok: true; profile: Profile } | { ok: false; code: string; message: string };

export class ProfileLibrary {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly db: Database,
    private readonly bundledIds: ReadonlySet<string>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Called after a profile is saved or deleted (Home Assistant's select lists the library). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  list(): Profile[] {
    return this.db
      .query<{ json: string }, []>("SELECT json FROM profiles ORDER BY updated_at_ms DESC")
      .all()
      .map((r) => JSON.parse(r.json) as Profile);
  }

  get(id: string): Profile | null {
    const r = this.db.query<{ json: string }, { id: string }>("SELECT json FROM profiles WHERE id = $id").get({ id });
    return r ? (JSON.parse(r.json) as Profile) : null;
  }

  /** Create or replace `id` with `raw` (validated; its id must be `id`). */
  put(id: string, raw: unknown): LibraryResult {
    let p: Profile;
    try {
      p = parseProfile(raw);
    } catch (e) {
      if (e instanceof ProfileError) return { ok: false, code: "invalid_profile", message: e.message };
      throw e;
    }
    if (p.id !== id) return { ok: false, code: "invalid_profile", message: `the profile's id is "${p.id}" but the address says "${id}"` };
    if (this.bundledIds.has(id))
      return { ok: false, code: "conflict", message: `"${id}" is a bundled profile's id; give your copy its own id` };
    this.db
      .query("INSERT OR REPLACE INTO profiles (id, json, updated_at_ms) VALUES ($id, $json, $now)")
      .run({ id, json: JSON.stringify(p), now: this.now() });
    this.changed();
    return { ok: true, profile: p };
  }

  delete(id: string): boolean {
    const gone = this.db.query("DELETE FROM profiles WHERE id = $id").run({ id }).changes > 0;
    if (gone) this.changed();
    return gone;
  }
}
