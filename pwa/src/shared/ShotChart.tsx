/**
 * A shot's curves on one chart (uPlot: canvas, small, fast enough for 20 Hz live data): pressure
 * (bar) and flow (ml/s) on the left axis, weight (g) and temperature on the right. Live charts
 * pass the same column arrays with a new `version`; uPlot redraws without re-creating itself.
 * An optional second shot is drawn dashed for comparison.
 */
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface ShotSeries {
  t: number[];
  pressure: number[];
  flow: number[];
  weight: (number | null)[];
  temp: number[];
}

const COLORS = { pressure: "#2f6fdf", flow: "#1f9d68", weight: "#b5651d", temp: "#c2410c" };

function data(a: ShotSeries, b?: ShotSeries): uPlot.AlignedData {
  if (!b) return [a.t, a.pressure, a.flow, a.weight, a.temp] as uPlot.AlignedData;
  // Two shots on one time axis: join the time columns, leave gaps where a shot has no sample.
  const t = [...new Set([...a.t, ...b.t])].sort((x, y) => x - y);
  const pick = (s: ShotSeries, col: keyof Omit<ShotSeries, "t">) => {
    const m = new Map(s.t.map((x, i) => [x, s[col][i] ?? null]));
    return t.map((x) => m.get(x) ?? null);
  };
  return [
    t,
    pick(a, "pressure"),
    pick(a, "flow"),
    pick(a, "weight"),
    pick(a, "temp"),
    pick(b, "pressure"),
    pick(b, "flow"),
    pick(b, "weight"),
  ] as uPlot.AlignedData;
}

function series(compare: boolean): uPlot.Series[] {
  const s: uPlot.Series[] = [
    { label: "s" },
    { label: "Pressure bar", stroke: COLORS.pressure, width: 2, scale: "left" },
    { label: "Flow ml/s", stroke: COLORS.flow, width: 2, scale: "left" },
    { label: "Weight g", stroke: COLORS.weight, width: 2, scale: "right", spanGaps: true },
    { label: "Temp °C", stroke: COLORS.temp, width: 1, scale: "temp" },
  ];
  if (compare)
    s.push(
      { label: "Pressure (other)", stroke: COLORS.pressure, dash: [6, 4], width: 1.5, scale: "left", spanGaps: true },
      { label: "Flow (other)", stroke: COLORS.flow, dash: [6, 4], width: 1.5, scale: "left", spanGaps: true },
      { label: "Weight (other)", stroke: COLORS.weight, dash: [6, 4], width: 1.5, scale: "right", spanGaps: true },
    );
  return s;
}

export function ShotChart({
  shot,
  compare,
  version,
  height = 260,
  label,
}: {
  shot: ShotSeries;
  compare?: ShotSeries;
  version?: number;
  height?: number;
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const hasCompare = compare !== undefined;
  // The newest data, for the effect that (re)creates the chart without depending on every update.
  const latest = useRef({ shot, compare });
  latest.current = { shot, compare };

  useEffect(() => {
    const el = box.current;
    // No 2D canvas (disabled, or a DOM without one): the numbers around the chart still show.
    if (!el || !document.createElement("canvas").getContext("2d")) return;
    const css = getComputedStyle(document.documentElement);
    const ink = css.getPropertyValue("--muted").trim() || "#888";
    const axis = (scale: string, side: 1 | 3, unit: string): uPlot.Axis => ({
      scale,
      side,
      stroke: ink,
      grid: { show: side === 3, stroke: "rgba(128,128,128,0.15)" },
      values: (_u, v) => v.map((x) => `${x}${unit}`),
      size: 44,
    });
    const opts: uPlot.Options = {
      width: el.clientWidth || 320,
      height,
      series: series(hasCompare),
      scales: {
        x: { time: false },
        left: { range: [0, 12] },
        right: { range: (_u, _min, max) => [0, Math.max(40, max * 1.1)] },
        temp: { range: [80, 100] },
      },
      axes: [
        { stroke: ink, grid: { stroke: "rgba(128,128,128,0.15)" }, values: (_u, v) => v.map((x) => `${x}s`) },
        axis("left", 3, ""),
        axis("right", 1, "g"),
      ],
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
    };
    const u = new uPlot(opts, data(latest.current.shot, latest.current.compare), el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: el.clientWidth || 320, height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Re-created only when the shape changes; data updates go through setData below.
  }, [height, hasCompare]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the redraw signal for arrays mutated in place
  useEffect(() => {
    plot.current?.setData(data(shot, compare));
  }, [shot, compare, version]);

  return <div ref={box} className="chart" role="img" aria-label={label} />;
}
