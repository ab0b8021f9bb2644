/**
 * A shot's curves on one chart (uPlot: canvas, small, fast enough for 20 Hz live data): pressure
 * and flow on the left axis, weight on the right, temperature on its own scale (its unit in the
 * legend). Live charts pass the same column arrays with a new `version`; uPlot redraws without
 * re-creating itself. A second shot is drawn dashed in its own colours; a target weight and the
 * phase changes are marked. Colours are the Okabe–Ito set, told apart with colour-blindness too.
 */
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { t } from "../i18n/i18n.ts";
import { usePreferences } from "./preferences.ts";
import { type PressureUnit, pressureIn, type TempUnit, tempIn } from "./units.ts";

export interface ShotSeries {
  t: number[];
  /** null where a shot has no such reading (a hand-logged shot has only its weight). */
  pressure: (number | null)[];
  flow: (number | null)[];
  weight: (number | null)[];
  temp: (number | null)[];
  /** Phase index per sample (for the phase marks), when known. */
  phase?: (number | null)[];
}

type Column = "pressure" | "flow" | "weight" | "temp";
const COLUMNS: Column[] = ["pressure", "flow", "weight", "temp"];
/** This shot's colours, and the compared shot's: distinct hues, not just a dash. */
export const SERIES_COLOURS: Record<"this" | "other", Record<Column, string>> = {
  this: { pressure: "#0072b2", flow: "#009e73", weight: "#e69f00", temp: "#d55e00" },
  other: { pressure: "#56b4e9", flow: "#cc79a7", weight: "#8c6d1f", temp: "#7f7f7f" },
};

function converted(s: ShotSeries, col: Column, units: { temp: TempUnit; pressure: PressureUnit }): (number | null)[] {
  if (col === "temp") return s.temp.map((c) => (c === null ? null : tempIn(c, units.temp)));
  if (col === "pressure") return s.pressure.map((b) => (b === null ? null : pressureIn(b, units.pressure)));
  return s[col];
}

function data(a: ShotSeries, b: ShotSeries | undefined, units: { temp: TempUnit; pressure: PressureUnit }): uPlot.AlignedData {
  if (!b) return [a.t, ...COLUMNS.map((c) => converted(a, c, units))] as uPlot.AlignedData;
  // Two shots on one time axis: join the time columns, leave gaps where a shot has no sample.
  const t = [...new Set([...a.t, ...b.t])].sort((x, y) => x - y);
  const pick = (s: ShotSeries, col: Column) => {
    const values = converted(s, col, units);
    const m = new Map(s.t.map((x, i) => [x, values[i] ?? null]));
    return t.map((x) => m.get(x) ?? null);
  };
  return [t, ...COLUMNS.map((c) => pick(a, c)), ...COLUMNS.map((c) => pick(b, c))] as uPlot.AlignedData;
}

function series(compare: boolean, units: { temp: TempUnit; pressure: PressureUnit }, names: [string, string]): uPlot.Series[] {
  const labels: Record<Column, string> = {
    pressure: t("Pressure {unit}", { unit: units.pressure }),
    flow: t("Flow ml/s"),
    weight: t("Weight g"),
    temp: t("Temp °{unit}", { unit: units.temp }),
  };
  const scales: Record<Column, string> = { pressure: "left", flow: "left", weight: "right", temp: "temp" };
  const one = (who: "this" | "other"): uPlot.Series[] =>
    COLUMNS.map((c) => ({
      label: compare ? `${labels[c]} (${who === "this" ? names[0] : names[1]})` : labels[c],
      stroke: SERIES_COLOURS[who][c],
      width: who === "this" ? (c === "temp" ? 1.5 : 2) : 1.5,
      scale: scales[c],
      spanGaps: true,
      ...(who === "other" ? { dash: [6, 4] } : {}),
    }));
  return [{ label: "s" }, ...one("this"), ...(compare ? one("other") : [])];
}

/** Draws the target weight as a dashed line and each phase change as a thin vertical mark. */
function marks(target: () => number | null, phaseStarts: () => number[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const ctx = u.ctx;
        ctx.save();
        ctx.lineWidth = 1;
        const g = target();
        if (g !== null && g > 0) {
          const y = u.valToPos(g, "right", true);
          ctx.strokeStyle = SERIES_COLOURS.this.weight;
          ctx.setLineDash([4, 4]);
          ctx.beginPath();
          ctx.moveTo(u.bbox.left, y);
          ctx.lineTo(u.bbox.left + u.bbox.width, y);
          ctx.stroke();
        }
        ctx.setLineDash([2, 3]);
        ctx.strokeStyle = "rgba(128,128,128,0.6)";
        for (const t of phaseStarts()) {
          const x = u.valToPos(t, "x", true);
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
        }
        ctx.restore();
      },
    },
  };
}

/** The times at which the phase changed (the first phase's start is not a change). */
export function phaseStarts(s: ShotSeries): number[] {
  const out: number[] = [];
  const p = s.phase ?? [];
  for (let i = 1; i < p.length; i++) if (p[i] !== null && p[i] !== p[i - 1] && s.t[i] !== undefined) out.push(s.t[i] as number);
  return out;
}

export function ShotChart({
  shot,
  compare,
  version,
  height = 260,
  label,
  targetWeightG = null,
  names = ["this shot", "other"],
  zoom = false,
}: {
  shot: ShotSeries;
  compare?: ShotSeries;
  version?: number;
  height?: number;
  label: string;
  targetWeightG?: number | null;
  /** Legend names of the two shots when comparing. */
  names?: [string, string];
  /** Drag across the chart to zoom into a stretch of time; double-click to see it all again. */
  zoom?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const tempUnit = usePreferences((p) => p.unit);
  const pressureUnit = usePreferences((p) => p.pressureUnit);
  const hasCompare = compare !== undefined;
  // The newest data, for the effect that (re)creates the chart without depending on every update.
  const latest = useRef({ shot, compare, targetWeightG });
  latest.current = { shot, compare, targetWeightG };
  const nameKey = names.join("|");

  useEffect(() => {
    const el = box.current;
    // No 2D canvas (disabled, or a DOM without one): the numbers around the chart still show.
    if (!el || !document.createElement("canvas").getContext("2d")) return;
    const units = { temp: tempUnit, pressure: pressureUnit };
    const css = getComputedStyle(document.documentElement);
    const ink = css.getPropertyValue("--muted").trim() || "#888";
    const axis = (scale: string, side: 1 | 3, axisLabel: string): uPlot.Axis => ({
      scale,
      side,
      stroke: ink,
      label: axisLabel,
      labelSize: 16,
      grid: { show: side === 3, stroke: "rgba(128,128,128,0.15)" },
      size: 40,
    });
    const [tempLo, tempHi] = tempUnit === "F" ? [176, 212] : [80, 100];
    const opts: uPlot.Options = {
      width: el.clientWidth || 320,
      height,
      series: series(hasCompare, units, nameKey.split("|") as [string, string]),
      scales: {
        x: { time: false },
        left: { range: (_u, _min, max) => [0, Math.max(pressureUnit === "psi" ? 175 : 12, max * 1.05)] },
        right: { range: (_u, _min, max) => [0, Math.max(40, max * 1.1, (latest.current.targetWeightG ?? 0) * 1.15)] },
        temp: { range: [tempLo, tempHi] },
      },
      axes: [
        { stroke: ink, label: t("time (s)"), labelSize: 16, grid: { stroke: "rgba(128,128,128,0.15)" } },
        axis("left", 3, `${pressureUnit} · ml/s`),
        axis("right", 1, "g"),
      ],
      legend: { live: false },
      cursor: { drag: { x: zoom, y: false } },
      plugins: [
        marks(
          () => latest.current.targetWeightG,
          () => phaseStarts(latest.current.shot),
        ),
      ],
    };
    const u = new uPlot(opts, data(latest.current.shot, latest.current.compare, units), el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: el.clientWidth || 320, height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Re-created only when the shape changes; data updates go through setData below.
  }, [height, hasCompare, tempUnit, pressureUnit, zoom, nameKey]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the redraw signal for arrays mutated in place
  useEffect(() => {
    plot.current?.setData(data(shot, compare, { temp: tempUnit, pressure: pressureUnit }));
  }, [shot, compare, version, targetWeightG]);

  return <div ref={box} className="chart" role="img" aria-label={label} />;
}
