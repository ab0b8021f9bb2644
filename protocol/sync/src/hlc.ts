/**
 * @module Hybrid logical clock for per-field last-writer-wins (design: style-anchors "Local-first
 * sync", after Actual Budget's timestamps). A timestamp is wall-clock milliseconds, a 16-bit
 * counter and the 16-hex-digit id of the install that made it, written so that plain string order
 * is time order: `2026-11-27T09:45:12.345Z-0000-0123456789abcdef` (46 characters).
 * `send()` stamps a local edit; `recv()` takes in every timestamp that arrives, so the next local
 * stamp is newer than anything seen. A clock more than `maxDriftMs` ahead of this one's wall clock
 * is refused: a phone with a wrong clock must not win every edit for days.
 */

export const HLC_LENGTH = 46;
const NODE = /^[0-9a-f]{16}$/;
const FORMAT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)-([0-9a-f]{4})-([0-9a-f]{16})$/;

export class HlcError extends Error {
  constructor(
    readonly code: "clock_drift" | "counter_overflow" | "invalid_timestamp" | "invalid_node",
    message: string,
  ) {
    super(message);
  }
}

export interface HlcParts {
  millis: number;
  counter: number;
  node: string;
}

export function formatHlc(p: HlcParts): string {
  if (!NODE.test(p.node)) throw new HlcError("invalid_node", `node id must be 16 lower-case hex digits, not "${p.node}"`);
  if (!Number.isInteger(p.counter) || p.counter < 0 || p.counter > 0xffff)
    throw new HlcError("counter_overflow", `counter ${p.counter} outside 0..65535`);
  const d = new Date(p.millis);
  if (!Number.isFinite(p.millis) || d.getUTCFullYear() < 1970 || d.getUTCFullYear() > 9999)
    throw new HlcError("invalid_timestamp", `${p.millis} ms is not a time this clock writes`);
  return `${d.toISOString()}-${p.counter.toString(16).padStart(4, "0")}-${p.node}`;
}

export function parseHlc(s: string): HlcParts {
  const m = typeof s === "string" ? FORMAT.exec(s) : null;
  if (!m) throw new HlcError("invalid_timestamp", `"${String(s).slice(0, 60)}" is not a clock timestamp`);
  const millis = Date.parse(m[1] as string);
  if (!Number.isFinite(millis) || new Date(millis).toISOString() !== m[1])
    throw new HlcError("invalid_timestamp", `"${m[1]}" is not a real time`);
  return { millis, counter: Number.parseInt(m[2] as string, 16), node: m[3] as string };
}

/** Random 16-hex-digit install id. */
export function newNodeId(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  return [...random(8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export const MAX_DRIFT_MS = 5 * 60_000;

export class Hlc {
  private millis: number;
  private counter: number;

  /** `last`: the newest timestamp this install made or saw (persisted between runs), if any. */
  constructor(
    readonly node: string,
    last: string | null = null,
    private readonly now: () => number = Date.now,
    readonly maxDriftMs = MAX_DRIFT_MS,
  ) {
    if (!NODE.test(node)) throw new HlcError("invalid_node", `node id must be 16 lower-case hex digits, not "${node}"`);
    const p = last ? parseHlc(last) : { millis: 0, counter: 0 };
    this.millis = p.millis;
    this.counter = p.counter;
  }

  /** The newest timestamp made or seen, for persisting. */
  get last(): string {
    return formatHlc({ millis: this.millis, counter: this.counter, node: this.node });
  }

  /** A timestamp for a local edit, newer than every timestamp this clock made or saw. */
  send(): string {
    const phys = this.now();
    const millis = Math.max(this.millis, phys);
    const counter = millis === this.millis ? this.counter + 1 : 0;
    if (millis - phys > this.maxDriftMs)
      throw new HlcError(
        "clock_drift",
        `this clock is ${Math.round((millis - phys) / 1000)} s ahead of the wall clock (limit ${this.maxDriftMs / 1000} s)`,
      );
    if (counter > 0xffff) throw new HlcError("counter_overflow", "more than 65535 edits in one millisecond");
    this.millis = millis;
    this.counter = counter;
    return this.last;
  }

  /** Take in a timestamp from elsewhere; refuses one too far ahead of this wall clock (it changes nothing then). */
  recv(remote: string): void {
    const r = parseHlc(remote);
    const phys = this.now();
    if (r.millis - phys > this.maxDriftMs)
      throw new HlcError(
        "clock_drift",
        `a timestamp ${Math.round((r.millis - phys) / 1000)} s ahead of this clock (limit ${this.maxDriftMs / 1000} s): check the device's date and time`,
      );
    const millis = Math.max(this.millis, phys, r.millis);
    let counter: number;
    if (millis === this.millis && millis === r.millis) counter = Math.max(this.counter, r.counter) + 1;
    else if (millis === this.millis) counter = this.counter + 1;
    else if (millis === r.millis) counter = r.counter + 1;
    else counter = 0;
    if (counter > 0xffff) throw new HlcError("counter_overflow", "more than 65535 events in one millisecond");
    this.millis = millis;
    this.counter = counter;
  }
}
