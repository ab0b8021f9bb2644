/**
 * @module One Decent profile step (a DE1 "frame") as its three spellings carry it: de1app's Tcl
 * `advanced_shot` entries (flat `exit_if`/`exit_type`/`exit_*_over|under`, `max_flow_or_pressure`),
 * JSON v2 steps (nested `exit {type, condition, value}` and `limiter {value, range}`, as de1app,
 * Visualizer and Decenza write them; numbers may be strings), and Decenza's flat JSON fields.
 */
export interface DecentStep {
  name: string;
  temperature: number;
  /** "coffee": the basket temperature; "water": the mix temperature at the shower screen. */
  sensor: string;
  pump: string;
  /** "fast": jump to the target; "smooth": ramp to it across the whole step. */
  transition: string;
  pressure: number;
  flow: number;
  /** The step's longest duration. */
  seconds: number;
  /** Water for this step, ml (0: none). */
  volume: number;
  /** Cup weight that ends this step, g (0: none; checked by the app, not the machine). */
  weight: number;
  exit: { type: "pressure" | "flow"; condition: "over" | "under"; value: number } | null;
  /** The other quantity's ceiling (0 or null: none) and how softly it applies. */
  limiter: { value: number; range: number } | null;
}

type Obj = Record<string, unknown>;

export const decentNumber = (v: unknown): number => {
  const x = typeof v === "number" ? v : typeof v === "string" ? Number.parseFloat(v) : Number.NaN;
  return Number.isFinite(x) ? x : 0;
};
const text = (v: unknown, fallback: string) => (typeof v === "string" && v !== "" ? v : fallback);
const truthy = (v: unknown) => v === true || v === 1 || v === "1" || v === "true";

function flatExit(o: Obj): DecentStep["exit"] {
  if (!truthy(o.exit_if)) return null;
  const kind = String(o.exit_type ?? "");
  const m = /^(pressure|flow)_(over|under)$/.exec(kind);
  if (!m) return null;
  return {
    type: m[1] as "pressure" | "flow",
    condition: m[2] as "over" | "under",
    value: decentNumber(o[`exit_${kind}`]),
  };
}

function flatLimiter(o: Obj): DecentStep["limiter"] {
  if (o.max_flow_or_pressure === undefined) return null;
  return { value: decentNumber(o.max_flow_or_pressure), range: decentNumber(o.max_flow_or_pressure_range) };
}

/** A step from any of the three spellings (a Tcl step is its dict of strings). */
export function decentStep(raw: unknown, i: number): DecentStep {
  const o = (typeof raw === "object" && raw !== null ? raw : {}) as Obj;
  let exit = flatExit(o);
  if (typeof o.exit === "object" && o.exit !== null) {
    const e = o.exit as Obj;
    const type = e.type === "flow" ? "flow" : e.type === "pressure" ? "pressure" : null;
    const condition = e.condition === "under" ? "under" : e.condition === "over" ? "over" : null;
    exit = type && condition ? { type, condition, value: decentNumber(e.value) } : null;
  }
  let limiter = flatLimiter(o);
  if (typeof o.limiter === "object" && o.limiter !== null) {
    const l = o.limiter as Obj;
    limiter = { value: decentNumber(l.value), range: decentNumber(l.range) };
  }
  return {
    name: text(o.name, `step ${i + 1}`),
    temperature: decentNumber(o.temperature),
    sensor: text(o.sensor, "coffee"),
    pump: text(o.pump, "pressure"),
    transition: text(o.transition, "fast"),
    pressure: decentNumber(o.pressure),
    flow: decentNumber(o.flow),
    seconds: decentNumber(o.seconds),
    volume: decentNumber(o.volume),
    weight: decentNumber(o.weight ?? o.exit_weight),
    exit,
    limiter,
  };
}
