/** @module This hub's device id: 12 lower-case hex digits, made once and kept in the database (MQTT topics, Home Assistant ids). */
import type { Database } from "bun:sqlite";
import { randomBytes } from "node:crypto";

export function deviceId(db: Database): string {
  const row = db.query<{ value: string }, []>("SELECT value FROM meta WHERE key = 'device_id'").get();
  if (row) return row.value;
  const id = randomBytes(6).toString("hex");
  db.query("INSERT INTO meta (key, value) VALUES ('device_id', $id)").run({ id });
  return id;
}
