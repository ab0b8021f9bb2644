/**
 * @module Weekly on/off schedules and auto power-off, run on the hub's local clock. Checked every
 * 10 s; each schedule fires at most once in its minute; when several match, off wins over on, then
 * the highest id (the original project's rules). Auto power-off puts the machine in standby after
 * `minutes` without a shot or a command; it never interrupts a shot.
 */
import { MachineMode } from "@brewos/protocol/uart";
import type { HubSettings, Schedule } from "../settings/schema.ts";
import { WEEKDAYS } from "../settings/schema.ts";
import type { MachineControl } from "./control.ts";

export interface SchedulerDeps {
  control: MachineControl;
  brewing: () => boolean;
  settings: () => Pick<HubSettings, "schedules" | "auto_off">;
  now?: () => number;
  log?: (level: "info" | "warn", text: string) => void;
}

export class Scheduler {
  private lastActivityMs: number;
  private firedMinute = "";
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly d: SchedulerDeps) {
    this.lastActivityMs = this.now();
  }

  start(periodMs = 10_000): void {
    this.timer = setInterval(() => void this.tick(), periodMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** A person did something (a command, a shot): the auto power-off clock starts again. */
  noteActivity(): void {
    this.lastActivityMs = this.now();
  }

  /** The schedule that fires in this minute, if any. */
  due(at: Date, schedules: readonly Schedule[]): Schedule | null {
    const day = WEEKDAYS[at.getDay()];
    const hhmm = `${String(at.getHours()).padStart(2, "0")}:${String(at.getMinutes()).padStart(2, "0")}`;
    const hits = schedules.filter((s) => s.enabled && s.time === hhmm && day !== undefined && s.days.includes(day));
    hits.sort((a, b) => (a.action === b.action ? b.id - a.id : a.action === "off" ? -1 : 1));
    return hits[0] ?? null;
  }

  async tick(): Promise<void> {
    const now = this.now();
    const at = new Date(now);
    if (this.d.brewing()) this.lastActivityMs = now;
    const minute = `${at.getFullYear()}-${at.getMonth()}-${at.getDate()} ${at.getHours()}:${at.getMinutes()}`;
    const cfg = this.d.settings();
    if (minute !== this.firedMinute) {
      const s = this.due(at, cfg.schedules);
      if (s) {
        this.firedMinute = minute;
        await this.run(s);
      }
    }
    const off = cfg.auto_off;
    const on = this.d.control.current().mode !== MachineMode.standby;
    if (off.enabled && on && !this.d.brewing() && now - this.lastActivityMs >= off.minutes * 60_000) {
      this.d.log?.("info", `auto power-off after ${off.minutes} min without use`);
      await this.d.control.run({ type: "set_mode", mode: "standby" });
    }
  }

  private async run(s: Schedule): Promise<void> {
    this.d.log?.("info", `schedule ${s.id}${s.name ? ` (${s.name})` : ""}: ${s.action}`);
    if (s.action === "off") {
      await this.d.control.run({ type: "set_mode", mode: "standby" });
      return;
    }
    if (s.heating_strategy) await this.d.control.run({ type: "set_heating_strategy", strategy: s.heating_strategy });
    await this.d.control.run({ type: "set_mode", mode: "brew" });
    this.lastActivityMs = this.now(); // a scheduled warm-up gets its full auto-off time
  }

  private now(): number {
    return (this.d.now ?? Date.now)();
  }
}
