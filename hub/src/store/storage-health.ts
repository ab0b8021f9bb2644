/**
 * @module Whether the hub can write its data: free space on the data folder's disk (checked each
 * minute, "low" under a threshold) and what the last writes did ("full" when SQLite or the file
 * system said so). Writes that fail for lack of space are reported here instead of crashing their
 * caller; the first write that works again clears it. Shown in /api/health, the app and MQTT.
 */
import { statfsSync } from "node:fs";

export type StorageState = "ok" | "low" | "full";

export interface StorageStatus {
  state: StorageState;
  free_bytes: number | null;
  last_error: string | null;
  /** Shots finished while the disk was full, kept in memory until they can be written. */
  shots_waiting: number;
}

/** Below this much free space the hub warns (and the owner may let retention make room). */
export const LOW_SPACE_BYTES = 64 * 1024 * 1024;

/** True for the errors a full or failing disk gives (SQLite's and the file system's). */
export function isStorageError(e: unknown): boolean {
  const code = String((e as { code?: unknown })?.code ?? "");
  return /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN)/.test(code) || code === "ENOSPC" || code === "EDQUOT" || code === "EROFS";
}

export class StorageHealth {
  private full: string | null = null;
  private freeBytes: number | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly listeners = new Set<(s: StorageStatus) => void>();
  waitingShots = 0;

  constructor(
    private readonly dir: string,
    private readonly log?: (level: "info" | "warn", text: string) => void,
  ) {}

  start(everyMs = 60_000): void {
    this.measure();
    this.timer = setInterval(() => this.measure(), everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  status(): StorageStatus {
    const state: StorageState = this.full ? "full" : this.freeBytes !== null && this.freeBytes < LOW_SPACE_BYTES ? "low" : "ok";
    return { state, free_bytes: this.freeBytes, last_error: this.full, shots_waiting: this.waitingShots };
  }

  onChange(listener: (s: StorageStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs a write. A storage error is reported and answered with `fallback` (a non-storage error is
   * a bug and is thrown); success after a failure clears the report.
   */
  write<T>(what: string, fn: () => T, fallback: T): T {
    try {
      const r = fn();
      if (this.full) this.set(null);
      return r;
    } catch (e) {
      if (!isStorageError(e)) throw e;
      this.failed(what, e);
      return fallback;
    }
  }

  /** Report a storage error caught elsewhere (an API route). */
  failed(what: string, e: unknown): void {
    const text = `${what}: ${(e as Error).message}`;
    if (this.full === null) this.log?.("warn", `storage: ${text} — the machine keeps working; shots wait in memory`);
    this.set(text);
  }

  private set(full: string | null): void {
    const before = this.status().state;
    this.full = full;
    if (full === null) this.log?.("info", "storage: writing again");
    if (this.status().state !== before) for (const l of this.listeners) l(this.status());
  }

  private measure(): void {
    const before = this.status().state;
    try {
      const s = statfsSync(this.dir);
      this.freeBytes = Number(s.bavail) * Number(s.bsize);
    } catch {
      this.freeBytes = null;
    }
    const now = this.status().state;
    if (now !== before) {
      if (now === "low") this.log?.("warn", `storage: only ${Math.round((this.freeBytes ?? 0) / 1e6)} MB free in ${this.dir}`);
      for (const l of this.listeners) l(this.status());
    }
  }
}
