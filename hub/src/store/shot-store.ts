/**
 * @module Shot history on disk. A shot row is created when the shot starts, samples are appended
 * in checkpoint chunks (each its own transaction), and the summary lands with the last chunk in
 * one transaction. A shot still `recording` when the hub starts was cut short by a crash: it is
 * kept, marked `interrupted`, with every checkpoint it reached.
 */
import type { Database } from "bun:sqlite";
import type { ShotRecord, ShotStatus } from "@brewos/protocol/api";
import { uuidv7 } from "@brewos/protocol/sync";
import { decodeSamples, encodeSamples, type Sample } from "./samples-codec.ts";
import { isStringList, storedJson } from "./stored-json.ts";

/** What is known when a shot starts. */
export type ShotBegin = Pick<
  ShotRecord,
  "started_at_ms" | "shot_token" | "source" | "profile_slot" | "profile_json" | "dose_g" | "target_g"
>;

export interface ShotSummary {
  duration_ms: number;
  stop_reason: string;
  end_flags: string[];
  volume_ml: number;
  final_weight_g: number | null;
  max_pressure_bar: number;
  mean_brew_c: number;
  /** Set when the record was opened without its token (its start message was lost). */
  shot_token?: number;
}

export type { ShotRecord, ShotStatus };

export interface Retention {
  /** Keep shots newer than this many days (0 = no age limit). */
  keep_days: number;
  /** Keep at most this many shots (0 = no count limit). */
  keep_count: number;
}

type Row = Omit<ShotRecord, "end_flags"> & { end_flags: string };

const COLUMNS =
  "id, server_seq, status, started_at_ms, shot_token, source, profile_slot, profile_json, dose_g, target_g, duration_ms, stop_reason, end_flags, volume_ml, final_weight_g, max_pressure_bar, mean_brew_c, settled_weight_g, yield_g, sample_count, rating, notes, beans, grind, updated_at_ms";

function toRecord(r: Row): ShotRecord {
  return { ...r, end_flags: storedJson<string[]>(r.end_flags, [], isStringList) };
}

export class ShotStore {
  /** `stamp` gives the clock for a person's edit (the hub's hybrid logical clock; default: milliseconds). */
  constructor(
    private readonly db: Database,
    private readonly now: () => number = Date.now,
  ) {}

  /** Next global change number; call inside a write transaction. */
  nextServerSeq(): number {
    const row = this.db
      .query<{ value: string }, []>("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'server_seq' RETURNING value")
      .get();
    return Number(row?.value);
  }

  begin(b: ShotBegin): string {
    const id = uuidv7(b.started_at_ms);
    this.db.transaction(() => {
      this.db
        .query(
          `INSERT INTO shots (id, server_seq, status, started_at_ms, shot_token, source, profile_slot, profile_json, dose_g, target_g, updated_at_ms)
           VALUES ($id, $seq, 'recording', $started_at_ms, $shot_token, $source, $profile_slot, $profile_json, $dose_g, $target_g, $now)`,
        )
        .run({ id, seq: this.nextServerSeq(), now: this.now(), ...b });
    })();
    return id;
  }

  private appendChunk(id: string, samples: readonly Sample[]): void {
    if (samples.length === 0) return;
    const next =
      this.db.query<{ n: number }, { id: string }>("SELECT COUNT(*) AS n FROM shot_samples WHERE shot_id = $id").get({ id })?.n ?? 0;
    this.db
      .query("INSERT INTO shot_samples (shot_id, chunk, blob) VALUES ($id, $chunk, $blob)")
      .run({ id, chunk: next, blob: encodeSamples(samples) });
    this.db.query("UPDATE shots SET sample_count = sample_count + $n WHERE id = $id").run({ id, n: samples.length });
  }

  /** A checkpoint: these samples are on disk when this returns. */
  appendSamples(id: string, samples: readonly Sample[]): void {
    this.db.transaction(() => this.appendChunk(id, samples))();
  }

  /** The last samples and the summary, in one transaction. */
  finish(id: string, last: readonly Sample[], s: ShotSummary): ShotRecord {
    const { shot_token, ...summary } = s;
    this.db.transaction(() => {
      this.appendChunk(id, last);
      this.db
        .query(
          `UPDATE shots SET status = 'complete', server_seq = $seq, shot_token = COALESCE($token, shot_token), duration_ms = $duration_ms, stop_reason = $stop_reason,
             end_flags = $end_flags, volume_ml = $volume_ml, final_weight_g = $final_weight_g,
             max_pressure_bar = $max_pressure_bar, mean_brew_c = $mean_brew_c, updated_at_ms = $now
           WHERE id = $id`,
        )
        .run({
          ...summary,
          id,
          seq: this.nextServerSeq(),
          token: shot_token ?? null,
          end_flags: JSON.stringify(s.end_flags),
          now: this.now(),
        });
    })();
    const r = this.get(id);
    if (!r) throw new Error(`shot ${id} vanished while finishing`);
    return r;
  }

  /** The cup weight after the shot settled (drips included), for the latest shot with this token. */
  setSettledWeight(shotToken: number, grams: number): ShotRecord | null {
    let id: string | undefined;
    this.db.transaction(() => {
      id = this.db
        .query<{ id: string }, { token: number }>(
          "SELECT id FROM shots WHERE shot_token = $token AND deleted = 0 ORDER BY started_at_ms DESC LIMIT 1",
        )
        .get({ token: shotToken })?.id;
      if (!id) return;
      this.db
        .query("UPDATE shots SET settled_weight_g = $g, server_seq = $seq, updated_at_ms = $now WHERE id = $id")
        .run({ id, g: grams, seq: this.nextServerSeq(), now: this.now() });
    })();
    return id ? this.get(id) : null;
  }

  /** After a crash: shots left `recording` become `interrupted`. Returns how many. */
  markInterrupted(): number {
    let n = 0;
    this.db.transaction(() => {
      const ids = this.db.query<{ id: string }, []>("SELECT id FROM shots WHERE status = 'recording'").all();
      for (const { id } of ids) {
        this.db
          .query("UPDATE shots SET status = 'interrupted', server_seq = $seq, updated_at_ms = $now WHERE id = $id")
          .run({ id, seq: this.nextServerSeq(), now: this.now() });
      }
      n = ids.length;
    })();
    return n;
  }

  get(id: string): ShotRecord | null {
    const r = this.db.query<Row, { id: string }>(`SELECT ${COLUMNS} FROM shots WHERE id = $id AND deleted = 0`).get({ id });
    return r ? toRecord(r) : null;
  }

  /** Newest first; pass the last id of a page as `before` for the next one. */
  list(limit: number, before?: string): ShotRecord[] {
    const rows = before
      ? this.db
          .query<Row, { limit: number; before: string }>(
            `SELECT ${COLUMNS} FROM shots WHERE deleted = 0 AND (started_at_ms, id) <
               (SELECT started_at_ms, id FROM shots WHERE id = $before) ORDER BY started_at_ms DESC, id DESC LIMIT $limit`,
          )
          .all({ limit, before })
      : this.db
          .query<Row, { limit: number }>(`SELECT ${COLUMNS} FROM shots WHERE deleted = 0 ORDER BY started_at_ms DESC, id DESC LIMIT $limit`)
          .all({ limit });
    return rows.map(toRecord);
  }

  samples(id: string): Sample[] {
    const chunks = this.db
      .query<{ blob: Uint8Array }, { id: string }>("SELECT blob FROM shot_samples WHERE shot_id = $id ORDER BY chunk")
      .all({ id });
    return chunks.flatMap((c) => decodeSamples(c.blob));
  }

  /** Drop shots outside the retention (never one still recording). Returns how many. */
  /** Deletes the oldest `n` finished shots (making room on a full disk, when the owner allows it). */
  deleteOldest(n: number): number {
    return this.db
      .query("DELETE FROM shots WHERE id IN (SELECT id FROM shots WHERE status != 'recording' ORDER BY started_at_ms, id LIMIT $n)")
      .run({ n }).changes;
  }

  /** How many shots `prune(r)` would delete now (asked before a retention change is applied). */
  countPrunable(r: Retention): number {
    if (r.keep_days <= 0 && r.keep_count <= 0) return 0;
    const byAge = r.keep_days > 0 ? "started_at_ms < $cutoff" : "0";
    const byCount =
      r.keep_count > 0 ? "id NOT IN (SELECT id FROM shots WHERE deleted = 0 ORDER BY started_at_ms DESC, id DESC LIMIT $keep)" : "0";
    return (
      this.db
        .query<{ n: number }, { cutoff: number; keep: number }>(
          `SELECT COUNT(*) AS n FROM shots WHERE deleted = 0 AND status != 'recording' AND (${byAge} OR ${byCount})`,
        )
        .get({ cutoff: this.now() - r.keep_days * 86_400_000, keep: r.keep_count })?.n ?? 0
    );
  }

  prune(r: Retention): number {
    let n = 0;
    this.db.transaction(() => {
      if (r.keep_days > 0) {
        n += this.db
          .query("DELETE FROM shots WHERE status != 'recording' AND started_at_ms < $cutoff")
          .run({ cutoff: this.now() - r.keep_days * 86_400_000 }).changes;
      }
      if (r.keep_count > 0) {
        n += this.db
          .query(
            `DELETE FROM shots WHERE status != 'recording' AND id NOT IN
               (SELECT id FROM shots ORDER BY started_at_ms DESC, id DESC LIMIT $keep)`,
          )
          .run({ keep: r.keep_count }).changes;
      }
    })();
    return n;
  }
}
