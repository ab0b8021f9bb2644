/**
 * @module Opening the hub's SQLite database: WAL so readers never wait for the recorder,
 * synchronous=FULL so a committed shot survives a power cut, foreign keys on, migrations applied.
 * A file that is not a BrewOS database, or is from a newer hub, is refused with a clear error
 * rather than written to.
 */
import { Database } from "bun:sqlite";
import { chmodSync, closeSync, existsSync, openSync } from "node:fs";
import { MIGRATIONS } from "./migrations.ts";

export function openDatabase(path: string): Database {
  // 0600 before SQLite opens it: the -wal and -shm files it makes take the database file's mode.
  if (path !== ":memory:") {
    if (!existsSync(path)) closeSync(openSync(path, "a", 0o600));
    chmodSync(path, 0o600);
  }
  const db = new Database(path, { create: true, strict: true });
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA foreign_keys = ON");
    const check = db.query<{ quick_check: string }, []>("PRAGMA quick_check").get();
    if (check?.quick_check !== "ok") throw new Error(`database ${path} is damaged: ${check?.quick_check}`);
    migrate(db, path);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

function migrate(db: Database, path: string): void {
  const at = db.query<{ user_version: number }, []>("PRAGMA user_version").get()?.user_version ?? 0;
  if (at > MIGRATIONS.length) {
    throw new Error(`database ${path} is schema ${at}; this hub knows up to ${MIGRATIONS.length}: update the hub`);
  }
  for (let v = at; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.exec(`PRAGMA user_version = ${v + 1}`);
    })();
  }
}
