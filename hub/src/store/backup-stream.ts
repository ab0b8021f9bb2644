/**
 * @module Backups as a stream (format brewos-hub-backup, version 2, NDJSON): a header line
 * (settings without secrets, maintenance, energy, profiles), one line per shot with its samples,
 * and an end line with the shot count, so a file cut short is known as such. Export reads the
 * history page by page; import checks every line as it arrives (the live validators) into a
 * staging file beside the database, and only when all of it is good writes it, in transactions of
 * a few hundred shots so the controller link is never starved. Memory stays bounded by one line.
 * Version-1 backups (one JSON document) are still read, up to LEGACY_MAX_BYTES.
 */
import type { Database } from "bun:sqlite";
import { closeSync, openSync, rmSync, writeSync } from "node:fs";
import { z } from "zod";
import { BeanStore } from "../sync/bean-store.ts";
import {
  BACKUP_FORMAT,
  Backup,
  type BackupShot,
  checkProfile,
  checkShot,
  type ImportResult,
  importBackup,
  SHOT_COLUMNS,
  writeExtras,
  writeShots,
} from "./backup.ts";

export const STREAM_VERSION = 2;
/** The largest line (one shot with its samples) an import takes. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;
/** The largest version-1 backup (read whole) an import takes. */
export const LEGACY_MAX_BYTES = 64 * 1024 * 1024;
const PAGE_SHOTS = 100;
const BATCH_SHOTS = 500;
const GC_EVERY_SHOTS = 1000;

const Header = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(STREAM_VERSION),
  created_at_ms: z.int(),
  settings: Backup.shape.settings,
  maintenance: Backup.shape.maintenance,
  energy_days: Backup.shape.energy_days,
  profiles: Backup.shape.profiles,
  beans: Backup.shape.beans,
});
type Header = z.infer<typeof Header>;

/** The whole backup as NDJSON, read from the database as the stream is pulled. */
export function backupStream(
  db: Database,
  settings: Header["settings"],
  onDone?: () => void,
  /** Skip what cannot be read instead of failing (a damaged database). */
  tolerant = false,
): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let phase: "header" | "shots" | "end" = "header";
  let after = { t: Number.MIN_SAFE_INTEGER, id: "" };
  let count = 0;
  const page = db.query<Record<string, unknown> & { id: string; started_at_ms: number }, { t: number; id: string }>(
    `SELECT ${SHOT_COLUMNS.join(", ")} FROM shots WHERE deleted = 0 AND status != 'recording' AND (started_at_ms > $t OR (started_at_ms = $t AND id > $id))
     ORDER BY started_at_ms, id LIMIT ${PAGE_SHOTS}`,
  );
  const chunks = db.query<{ blob: Uint8Array }, { id: string }>("SELECT blob FROM shot_samples WHERE shot_id = $id ORDER BY chunk");
  const readable = <T>(read: () => T[]): T[] => {
    try {
      return read();
    } catch (e) {
      if (!tolerant) throw e;
      return [];
    }
  };
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    onDone?.();
  };
  return new ReadableStream<Uint8Array>({
    pull(ctl) {
      try {
        if (phase === "header") {
          const header: Header = {
            format: BACKUP_FORMAT,
            version: STREAM_VERSION,
            created_at_ms: Date.now(),
            settings,
            maintenance: readable(() => db.query<Header["maintenance"][number], []>("SELECT kind, done_at_ms FROM maintenance").all()),
            energy_days: readable(() =>
              db.query<Header["energy_days"][number], []>("SELECT day, wh, heating_s FROM energy_days ORDER BY day").all(),
            ),
            profiles: readable(() =>
              db.query<Header["profiles"][number], []>("SELECT id, json, updated_at_ms FROM profiles ORDER BY id").all(),
            ),
            beans: readable(() => new BeanStore(db, () => 0).all().map(({ id, values, clocks }) => ({ id, values, clocks }))),
          };
          ctl.enqueue(enc.encode(`${JSON.stringify(header)}\n`));
          phase = "shots";
          return;
        }
        if (phase === "shots") {
          let rows: ReturnType<typeof page.all>;
          try {
            rows = page.all(after);
          } catch (e) {
            // A damaged database (safe mode's "export what is readable"): end with what was read.
            if (!tolerant) throw e;
            rows = [];
          }
          if (rows.length === 0) {
            phase = "end";
          } else {
            let text = "";
            for (const r of rows) {
              let samples: string[];
              try {
                samples = chunks.all({ id: r.id }).map((c) => Buffer.from(c.blob).toString("base64"));
              } catch (e) {
                if (!tolerant) throw e;
                continue; // its samples are unreadable: leave the shot out rather than the rest
              }
              text += `${JSON.stringify({ shot: { ...r, samples } })}\n`;
              count++;
            }
            const last = rows.at(-1) as { id: string; started_at_ms: number };
            after = { t: last.started_at_ms, id: last.id };
            ctl.enqueue(enc.encode(text));
            return;
          }
        }
        ctl.enqueue(enc.encode(`${JSON.stringify({ end: { shots: count } })}\n`));
        ctl.close();
        finish();
      } catch (e) {
        ctl.error(e);
        finish();
      }
    },
    cancel: finish,
  });
}

class TooLarge extends Error {}

/** Lines of a byte stream (without the newline), each at most `maxLine` bytes, the whole at most `maxTotal`. */
async function* lines(body: ReadableStream<Uint8Array>, maxLine: number, maxTotal: number): AsyncGenerator<string> {
  const dec = new TextDecoder();
  let pending = "";
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { value: chunk, done } = await reader.read();
    if (done) break;
    total += chunk.length;
    if (total > maxTotal) throw new TooLarge(`the upload is larger than ${maxTotal} bytes`);
    pending += dec.decode(chunk, { stream: true });
    let nl = pending.indexOf("\n");
    while (nl >= 0) {
      yield pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      nl = pending.indexOf("\n");
    }
    if (pending.length > maxLine) throw new TooLarge(`a line of the backup is longer than ${maxLine} bytes`);
  }
  pending += dec.decode();
  if (pending.trim() !== "") yield pending;
}

export type StreamImportResult = (ImportResult & { settings?: Header["settings"] }) | { ok: false; code: "too_large"; message: string };

export interface StreamImportOptions {
  bumpSeq: () => number;
  /** A file beside the database for the checked lines (removed afterwards). */
  stagingPath: string;
  maxBytes: number;
  /** Checks the backup's settings before anything is written (null: fine). */
  checkSettings?: (s: Header["settings"]) => string | null;
}

const bad = (message: string): StreamImportResult => ({ ok: false, code: "invalid_backup", message });

export async function importBackupStream(
  db: Database,
  body: ReadableStream<Uint8Array>,
  o: StreamImportOptions,
): Promise<StreamImportResult> {
  let fd: number | null = null;
  try {
    const it = lines(body, Math.max(MAX_LINE_BYTES, LEGACY_MAX_BYTES), o.maxBytes);
    const first = await it.next();
    if (first.done) return bad("(backup): the upload is empty");
    let head: unknown;
    try {
      head = JSON.parse(first.value);
    } catch {
      head = undefined;
    }
    const version = (head as { format?: unknown; version?: unknown } | undefined)?.version;
    if ((head as { format?: unknown } | undefined)?.format === BACKUP_FORMAT && version !== STREAM_VERSION && version !== 1) {
      return bad(`version: this hub reads backup versions 1 and ${STREAM_VERSION}, not ${String(version)}`);
    }
    if (version !== STREAM_VERSION) {
      // A version-1 document (maybe pretty-printed over many lines): read it whole, within its limit.
      let text = first.value;
      for await (const l of it) {
        text += `\n${l}`;
        if (text.length > LEGACY_MAX_BYTES)
          return {
            ok: false,
            code: "too_large",
            message: `a version-1 backup is read whole and may be at most ${LEGACY_MAX_BYTES} bytes; export it again from a current hub (it streams)`,
          };
      }
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        return bad("(backup): the upload is not JSON (cut short?)");
      }
      const settings = (doc as { settings?: Header["settings"] })?.settings;
      const problem = settings && o.checkSettings ? o.checkSettings(settings) : null;
      if (problem) return bad(`settings: ${problem}`);
      const r = importBackup(db, doc, o.bumpSeq);
      return r.ok && settings ? { ...r, settings } : r;
    }
    const h = Header.safeParse(head);
    if (!h.success) {
      const i = h.error.issues[0];
      return bad(`line 1: ${i?.path.join(".") || "(header)"}: ${i?.message}`);
    }
    for (const p of h.data.profiles) {
      const problem = checkProfile(p);
      if (problem) return bad(`line 1: ${problem}`);
    }
    const settingsProblem = o.checkSettings?.(h.data.settings) ?? null;
    if (settingsProblem) return bad(`line 1: settings: ${settingsProblem}`);
    fd = openSync(o.stagingPath, "w", 0o600);
    let n = 1;
    let shots = 0;
    let ended: number | null = null;
    for await (const l of it) {
      n++;
      if (l.trim() === "") continue;
      if (l.length > MAX_LINE_BYTES) return bad(`line ${n}: longer than ${MAX_LINE_BYTES} bytes`);
      if (ended !== null) return bad(`line ${n}: text after the end line`);
      let m: { shot?: unknown; end?: { shots?: unknown } };
      try {
        m = JSON.parse(l) as typeof m;
      } catch {
        return bad(`line ${n}: not JSON (cut short?)`);
      }
      if (m?.end !== undefined) {
        ended = typeof m.end?.shots === "number" ? m.end.shots : -1;
        continue;
      }
      const c = checkShot(m?.shot);
      if (!c.ok) return bad(`line ${n}: ${c.message}`);
      writeSync(fd, `${l}\n`);
      shots++;
      // Parsed lines are garbage at once; collect now and then so a big restore stays small.
      if (shots % GC_EVERY_SHOTS === 0) Bun.gc(false);
    }
    if (ended === null) return bad(`the backup ends after line ${n} without its end line: the file was cut short; nothing was changed`);
    if (ended !== shots) return bad(`the end line counts ${ended} shots, the file holds ${shots}; nothing was changed`);
    closeSync(fd);
    fd = null;
    // All good: write it, a batch per transaction.
    let added = 0;
    let batch: { row: Omit<BackupShot, "samples">; blobs: Uint8Array[] }[] = [];
    let firstBatch = true;
    const flush = () => {
      const b = batch;
      batch = [];
      const extras = firstBatch;
      firstBatch = false;
      db.transaction(() => {
        if (extras) writeExtras(db, h.data, o.bumpSeq);
        added += writeShots(db, b, o.bumpSeq);
      })();
    };
    for await (const l of lines(Bun.file(o.stagingPath).stream(), MAX_LINE_BYTES, Number.MAX_SAFE_INTEGER)) {
      const c = checkShot((JSON.parse(l) as { shot: unknown }).shot);
      if (c.ok) batch.push(c);
      if (batch.length >= BATCH_SHOTS) {
        flush();
        Bun.gc(false);
        await new Promise((r) => setTimeout(r, 0)); // let the link and the recorder run between batches
      }
    }
    flush();
    return { ok: true, shots_added: added, shots_already_present: shots - added, settings: h.data.settings };
  } catch (e) {
    if (e instanceof TooLarge) return { ok: false, code: "too_large", message: e.message };
    throw e;
  } finally {
    if (fd !== null) closeSync(fd);
    rmSync(o.stagingPath, { force: true });
  }
}
