/**
 * @module The machine's last known state on this phone (localStorage, per hub): the snapshot, the
 * last shot's trace and the next-shot recipe, so an offline reload shows what was last heard —
 * marked as not live — instead of an empty "find your machine" screen.
 */
import type { MachineSnapshot, NextShot } from "@brewos/protocol/api";
import type { ShotSeries } from "../shared/ShotChart.tsx";

const KEY = "brewos.last-state";
/** At most one write per this many ms (a live machine changes several times a second). */
const WRITE_EVERY_MS = 2000;

/** A shot's columns as the chart draws them, with the shot's token. */
export interface TraceColumns extends ShotSeries {
  token: number | null;
}

export interface LastState {
  hub: string;
  snapshot: MachineSnapshot;
  /** Local ms when the snapshot was heard. */
  at_ms: number;
  trace: TraceColumns | null;
  next_shot: NextShot | null;
}

export function loadLastState(hub: string): LastState | null {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? "null") as LastState | null;
    return v && v.hub === hub && typeof v.snapshot === "object" && v.snapshot !== null ? v : null;
  } catch {
    return null;
  }
}

let pending: LastState | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;

function flush(): void {
  timer = null;
  if (!pending) return;
  try {
    localStorage.setItem(KEY, JSON.stringify(pending));
  } catch {
    // A full or disabled storage: the live app works the same, only an offline reload shows less.
  }
  pending = null;
}

/** Remember this state; written at most every 2 s, and at once when `now` (a shot just ended). */
export function saveLastState(s: LastState, now = false): void {
  pending = s;
  if (now) {
    if (timer) clearTimeout(timer);
    flush();
  } else timer ??= setTimeout(flush, WRITE_EVERY_MS);
}
