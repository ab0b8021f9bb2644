/**
 * @module Schema history. Append only: a shipped migration is never edited; the next change is a
 * new entry. Each runs in its own transaction with `user_version` bumped in the same one.
 * Shots carry what sync needs from the first version: UUIDv7 ids, a global `server_seq` bumped on
 * every change, per-field clocks for the fields people edit, and tombstones.
 */

export const MIGRATIONS: readonly string[] = [
  // 1: shots and their samples
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
   INSERT INTO meta (key, value) VALUES ('server_seq', '0');
   CREATE TABLE shots (
     id TEXT PRIMARY KEY,
     server_seq INTEGER NOT NULL UNIQUE,
     status TEXT NOT NULL CHECK (status IN ('recording', 'complete', 'interrupted')),
     started_at_ms INTEGER NOT NULL,
     shot_token INTEGER NOT NULL,
     source TEXT NOT NULL,
     profile_slot INTEGER,
     profile_json TEXT,
     dose_g REAL,
     target_g REAL,
     duration_ms INTEGER,
     stop_reason TEXT,
     end_flags TEXT NOT NULL DEFAULT '[]',
     volume_ml REAL,
     final_weight_g REAL,
     max_pressure_bar REAL,
     mean_brew_c REAL,
     sample_count INTEGER NOT NULL DEFAULT 0,
     rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
     notes TEXT,
     beans TEXT,
     grind TEXT,
     field_clocks TEXT NOT NULL DEFAULT '{}',
     deleted INTEGER NOT NULL DEFAULT 0,
     updated_at_ms INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX shots_by_start ON shots (started_at_ms DESC, id DESC) WHERE deleted = 0;
   CREATE TABLE shot_samples (
     shot_id TEXT NOT NULL REFERENCES shots (id) ON DELETE CASCADE,
     chunk INTEGER NOT NULL,
     blob BLOB NOT NULL,
     PRIMARY KEY (shot_id, chunk)
   ) STRICT, WITHOUT ROWID;`,
  // 2: settings (hub settings as one JSON document per section, controller config per key)
  `CREATE TABLE settings (
     scope TEXT NOT NULL CHECK (scope IN ('hub', 'controller')),
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     updated_at_ms INTEGER NOT NULL,
     PRIMARY KEY (scope, key)
   ) STRICT;`,
  // 3: statistics fed by the hub itself: energy per local day, maintenance done
  `CREATE TABLE energy_days (day TEXT PRIMARY KEY, wh REAL NOT NULL, heating_s REAL NOT NULL) STRICT;
   CREATE TABLE maintenance (
     kind TEXT PRIMARY KEY CHECK (kind IN ('backflush', 'group_clean', 'descale')),
     done_at_ms INTEGER NOT NULL
   ) STRICT;`,
  // 4: the cup weight once it settled after the shot (drips included), measured by the hub's scale
  "ALTER TABLE shots ADD COLUMN settled_weight_g REAL;",
  // 5: people's own profiles, and what the hub put in each controller slot (restored after restarts)
  `CREATE TABLE profiles (id TEXT PRIMARY KEY, json TEXT NOT NULL, updated_at_ms INTEGER NOT NULL) STRICT;
   CREATE TABLE profile_slots (slot INTEGER PRIMARY KEY CHECK (slot BETWEEN 1 AND 8), json TEXT NOT NULL) STRICT;`,
  // 6: the yield a person entered (a shot without a scale, or weighed elsewhere)
  "ALTER TABLE shots ADD COLUMN yield_g REAL;",
  // 7: sync — each phone's last applied mutation (exactly-once pushes), the tombstone horizon
  `CREATE TABLE sync_clients (node_id TEXT PRIMARY KEY, last_mutation_id INTEGER NOT NULL, last_seen_at_ms INTEGER NOT NULL) STRICT;
   INSERT INTO meta (key, value) VALUES ('tombstone_horizon_seq', '0');
   CREATE INDEX shots_by_seq ON shots (server_seq);`,
  // 8: apps paired with this hub (their Ed25519 public keys); the hub's own key is a file, not a row
  `CREATE TABLE paired_apps (
     id TEXT PRIMARY KEY,
     public_key BLOB NOT NULL,
     name TEXT NOT NULL,
     paired_at_ms INTEGER NOT NULL,
     last_seen_ms INTEGER NOT NULL
   ) STRICT;`,
  // 9: the household's bean library (synced like shots: every field with its clock), and the bean a shot was pulled with
  `CREATE TABLE beans (
     id TEXT PRIMARY KEY,
     server_seq INTEGER NOT NULL,
     values_json TEXT NOT NULL,
     field_clocks TEXT NOT NULL DEFAULT '{}',
     updated_at_ms INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX beans_by_seq ON beans (server_seq);
   ALTER TABLE shots ADD COLUMN bean_id TEXT;`,
  // 10: a hand-logged shot timed with the phone's scale keeps its weight curve (JSON {t_s, g})
  "ALTER TABLE shots ADD COLUMN weight_curve TEXT;",
];
