/**
 * @module Records every shot, commanded or lever-started, from the controller's own events and
 * telemetry at full rate. Samples are checkpointed to disk every `checkpointMs` (default 1 s), so a
 * crash loses at most that much; the finished record is committed before `onRecorded` fires, so
 * whoever announces a shot can always read it back. When the disk refuses writes (full), the shot
 * is kept in memory — samples, summary and all — and written at the next checkpoint that works;
 * the machine and the link never notice.
 */
import { ShotEndFlags, ShotSource, StopReason, TelemetryFlags, type UartMessage } from "@brewos/protocol/uart";
import { enumNamer, flagNames } from "../machine/enum-names.ts";
import type { Sample } from "./samples-codec.ts";
import type { ShotBegin, ShotRecord, ShotStore, ShotSummary } from "./shot-store.ts";
import type { StorageHealth } from "./storage-health.ts";

export interface ShotContext {
  profile_json: string | null;
  dose_g: number | null;
  target_g: number | null;
  /** false: not a shot to keep (a group flush): nothing is recorded for this token. */
  record?: boolean;
}

export interface RecorderOptions {
  store: ShotStore;
  /** What the hub asked for with this shot token (null for a lever shot or an unknown token). */
  contextFor?: (token: number, profileSlot: number) => ShotContext | null;
  /** Latest cup weight in grams from the scale, or null with no scale. */
  weightG?: () => number | null;
  checkpointMs?: number;
  /** Where write failures for lack of space are reported (without it they throw). */
  storage?: StorageHealth;
  now?: () => number;
  log?: (level: "info" | "warn", text: string) => void;
}

const sourceName = enumNamer(ShotSource);
const stopName = enumNamer(StopReason);

interface Open {
  /** Null until its row could be written. */
  id: string | null;
  begin: ShotBegin;
  token: number;
  /** Controller uptime when the shot started: a hello with less means it restarted since. */
  startUptimeMs: number;
  /** Samples not on disk yet. */
  buffer: Sample[];
  /** For a shot whose shot_ended frame is lost: the running summary from telemetry. */
  seen: { brewing: boolean; idleFrames: number; lastT: number; volumeUl: number; maxMbar: number; tempSum: number; n: number };
  /** Opened from telemetry: the shot_started frame never arrived. */
  startLost?: boolean;
}

/** Brewing frames without a shot_started before the hub records the shot anyway. */
const ORPHAN_FRAMES_TO_OPEN = 5;
/** The token of a shot opened from telemetry, until its shot_ended names it. */
const UNKNOWN_TOKEN = -1;

/**
 * Telemetry frames without the brewing flag, after brewing was seen, that close a shot whose
 * shot_ended never arrived (a frame lost on a noisy link: events are sent once). At 20 Hz and
 * more, this is well under a second.
 */
const IDLE_FRAMES_TO_CLOSE = 10;

/** A finished shot the disk has not taken yet. */
interface Waiting {
  open: Open;
  summary: ShotSummary;
}

/** Finished shots kept in memory at most while the disk is full (each is a few hundred KB at most). */
const MAX_WAITING = 50;

export class ShotRecorder {
  private open: Open | null = null;
  private readonly waiting: Waiting[] = [];
  /** Brewing telemetry frames seen with no record open. */
  private orphanFrames = 0;
  /** The token of a pump run that is not a shot (a flush): its frames are not recorded. */
  private unrecorded: number | null = null;
  private readonly listeners = new Set<(r: ShotRecord) => void>();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly o: RecorderOptions) {
    this.timer = setInterval(() => this.checkpoint(), o.checkpointMs ?? 1000);
  }

  /** Fires after a finished shot is committed. */
  onRecorded(listener: (r: ShotRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get recordingId(): string | null {
    return this.open?.id ?? null;
  }

  handle(m: UartMessage): void {
    switch (m.type) {
      case "shot_started": {
        this.orphanFrames = 0;
        if (this.open) this.abandon("a new shot started before the last one ended");
        const ctx = this.o.contextFor?.(m.shot_token, m.profile_slot) ?? null;
        this.unrecorded = ctx?.record === false ? m.shot_token : null;
        if (this.unrecorded !== null) break;
        const begin: ShotBegin = {
          started_at_ms: (this.o.now ?? Date.now)(),
          shot_token: m.shot_token,
          source: sourceName(m.source),
          profile_slot: m.profile_slot,
          profile_json: ctx?.profile_json ?? null,
          dose_g: ctx?.dose_g ?? null,
          target_g: ctx?.target_g ?? null,
        };
        this.open = {
          id: null,
          begin,
          token: m.shot_token,
          startUptimeMs: m.uptime_ms,
          buffer: [],
          seen: { brewing: false, idleFrames: 0, lastT: 0, volumeUl: 0, maxMbar: 0, tempSum: 0, n: 0 },
        };
        this.ensureRow(this.open);
        break;
      }
      case "telemetry": {
        if (!this.open) {
          // Brewing with no record: wait a few frames for a late shot_started, then record it anyway.
          if ((m.flags & TelemetryFlags.brewing) === 0) this.orphanFrames = 0;
          else if (this.unrecorded !== null)
            break; // a flush is running
          else if (++this.orphanFrames >= ORPHAN_FRAMES_TO_OPEN) this.startFromTelemetry(m.shot_time_ms);
          if (!this.open) break;
        }
        const seen = this.open.seen;
        if ((m.flags & TelemetryFlags.brewing) === 0) {
          if (seen.brewing && ++seen.idleFrames >= IDLE_FRAMES_TO_CLOSE) this.endFromTelemetry();
          break;
        }
        seen.brewing = true;
        seen.idleFrames = 0;
        seen.lastT = m.shot_time_ms;
        seen.volumeUl = m.pumped_volume_ul;
        seen.maxMbar = Math.max(seen.maxMbar, m.pressure_mbar);
        seen.tempSum += m.brew_temp_cdeg;
        seen.n++;
        const w = this.o.weightG?.() ?? null;
        this.open.buffer.push({
          t_ms: m.shot_time_ms,
          brew_cdeg: m.brew_temp_cdeg,
          group_cdeg: m.group_temp_cdeg,
          pressure_mbar: m.pressure_mbar,
          flow_ul_s: m.pump_flow_ul_s,
          volume_ul: m.pumped_volume_ul,
          pump_pmil: m.pump_power_pmil,
          weight_dg: w === null ? 0 : Math.round(w * 10),
          phase: m.phase_index,
        });
        break;
      }
      case "controller_hello":
        if (this.open && m.uptime_ms < this.open.startUptimeMs) this.controllerRestarted();
        break;
      case "shot_ended": {
        if (m.shot_token === this.unrecorded) {
          this.unrecorded = null;
          break;
        }
        if (!this.open || (this.open.token !== m.shot_token && this.open.token !== UNKNOWN_TOKEN)) break;
        const o = this.open;

        this.open = null;
        this.queue({
          open: o,
          summary: {
            duration_ms: m.duration_ms,
            stop_reason: stopName(m.stop_reason),
            end_flags: flagNames(ShotEndFlags, m.flags),
            volume_ml: m.pumped_volume_ul / 1000,
            final_weight_g: m.last_weight_dg > 0 ? m.last_weight_dg / 10 : null,
            max_pressure_bar: m.max_pressure_mbar / 1000,
            mean_brew_c: m.mean_brew_temp_cdeg / 100,
            ...(o.token === UNKNOWN_TOKEN ? { shot_token: m.shot_token } : {}),
          },
        });
        break;
      }
      default:
        break;
    }
  }

  /**
   * Brewing telemetry with no record open: the shot_started frame was lost on the link (or the
   * hub started mid-shot). Record from here; the shot's token comes with its end.
   */
  private startFromTelemetry(shotTimeMs: number): void {
    const now = (this.o.now ?? Date.now)();
    this.o.log?.("warn", "a shot is brewing but its start message was lost on the link; recording it from here (flag start_lost)");
    this.open = {
      id: null,
      begin: {
        started_at_ms: now - shotTimeMs,
        shot_token: 0,
        source: "unknown",
        profile_slot: 0,
        profile_json: null,
        dose_g: null,
        target_g: null,
      },
      token: UNKNOWN_TOKEN,
      startUptimeMs: 0,
      buffer: [],
      seen: { brewing: false, idleFrames: 0, lastT: 0, volumeUl: 0, maxMbar: 0, tempSum: 0, n: 0 },
      startLost: true,
    };
    this.ensureRow(this.open);
  }

  /** The shot_ended frame was lost: close the record from what telemetry said, flagged end_lost. */
  private endFromTelemetry(): void {
    const o = this.open;
    if (!o) return;
    this.open = null;
    const s = o.seen;
    this.o.log?.("warn", `shot ${o.id}: its end message was lost on the link; closed from telemetry (flag end_lost)`);
    this.queue({
      open: o,
      summary: {
        duration_ms: s.lastT,
        stop_reason: "unknown",
        end_flags: ["end_lost"],
        volume_ml: s.volumeUl / 1000,
        final_weight_g: this.o.weightG?.() ?? null,
        max_pressure_bar: s.maxMbar / 1000,
        mean_brew_c: s.n > 0 ? s.tempSum / s.n / 100 : 0,
      },
    });
  }

  private queue(w: Waiting): void {
    if (w.open.startLost) w.summary.end_flags = [...w.summary.end_flags, "start_lost"];
    this.waiting.push(w);
    if (this.waiting.length > MAX_WAITING) {
      const lost = this.waiting.shift();
      this.o.log?.(
        "warn",
        `shot of ${new Date(lost?.open.begin.started_at_ms ?? 0).toISOString()} dropped: the disk has been full for ${MAX_WAITING} shots`,
      );
    }
    this.flushWaiting();
  }

  /** The controller restarted mid-shot (its shot_ended will never come): keep what we have, marked interrupted. */
  private controllerRestarted(): void {
    if (this.open) this.abandon("controller link lost during the shot");
  }

  stop(): void {
    clearInterval(this.timer);
    this.checkpoint();
  }

  /** Finished shots still waiting for the disk. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** A storage write: reported (not thrown) when the disk is full. */
  private write(what: string, fn: () => void): boolean {
    if (!this.o.storage) {
      fn();
      return true;
    }
    return this.o.storage.write(
      what,
      () => {
        fn();
        return true;
      },
      false,
    );
  }

  private ensureRow(o: Open): boolean {
    if (o.id !== null) return true;
    return this.write("starting a shot record", () => {
      o.id = this.o.store.begin(o.begin);
    });
  }

  private flushWaiting(): void {
    while (this.waiting.length > 0) {
      const w = this.waiting[0] as Waiting;
      if (!this.ensureRow(w.open)) break;
      let rec: ShotRecord | null = null;
      if (!this.write("finishing a shot record", () => (rec = this.o.store.finish(w.open.id as string, w.open.buffer, w.summary)))) break;
      this.waiting.shift();
      if (this.o.storage) this.o.storage.waitingShots = this.waiting.length;
      for (const l of this.listeners) l(rec as unknown as ShotRecord);
    }
    if (this.o.storage) this.o.storage.waitingShots = this.waiting.length;
  }

  private checkpoint(): void {
    this.flushWaiting();
    const o = this.open;
    if (!o || o.buffer.length === 0 || !this.ensureRow(o)) return;
    const chunk = o.buffer;
    if (this.write("checkpointing shot samples", () => this.o.store.appendSamples(o.id as string, chunk))) o.buffer = [];
  }

  private abandon(why: string): void {
    this.checkpoint();
    this.o.log?.("warn", `shot ${this.open?.id}: ${why}; kept as interrupted`);
    this.open = null;
    this.write("marking a shot interrupted", () => this.o.store.markInterrupted());
  }
}
