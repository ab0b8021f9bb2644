/**
 * @module Small JSON documents the hub keeps in the `meta` table (the next shot's recipe, what the
 * owner last chose for the machine). A damaged row reads as absent; writes replace the row.
 */
import type { Database } from "bun:sqlite";
import { storedJson } from "./stored-json.ts";

export function readMetaJson<T>(db: Database, key: string, valid: (v: unknown) => boolean): T | null {
  const row = db.query<{ value: string }, { key: string }>("SELECT value FROM meta WHERE key = $key").get({ key });
  return storedJson<T | null>(row?.value ?? null, null, valid);
}

export function writeMetaJson(db: Database, key: string, value: unknown): void {
  db.query("INSERT INTO meta (key, value) VALUES ($k, $v) ON CONFLICT (key) DO UPDATE SET value = $v").run({
    k: key,
    v: JSON.stringify(value),
  });
}
