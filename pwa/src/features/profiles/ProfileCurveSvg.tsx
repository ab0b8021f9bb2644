/** A profile's target curve as a small SVG (no chart library: it is static and tiny). */
import type { Profile } from "@brewos/protocol/profile";
import { t } from "../../i18n/i18n.ts";
import { profileCurve } from "./profile-curve.ts";

/** The chart's colours (Okabe–Ito): pressure blue, flow green, pump power orange. */
const MODE_COLOR = { pressure: "#0072b2", flow: "#009e73", power: "#e69f00" };
/** Room for the axis labels: left for the value scale, bottom for time. */
const LEFT = 26;
const BOTTOM = 14;

export function ProfileCurveSvg({
  profile,
  width = 320,
  height = 120,
  label,
}: {
  profile: Profile;
  width?: number;
  height?: number;
  label?: string;
}) {
  const pts = profileCurve(profile);
  const tMax = Math.max(1, ...pts.map((p) => p.t));
  // Power is drawn on the same axis scaled so 100 % sits at 12.
  const y = (p: { v: number; mode: string }) => (p.mode === "power" ? (p.v / 100) * 12 : p.v);
  const vMax = Math.max(12, ...pts.map(y));
  const xAt = (t: number) => LEFT + (t / tMax) * (width - LEFT - 4);
  const yAt = (v: number) => height - BOTTOM - (v / vMax) * (height - BOTTOM - 6);
  const modes = [...new Set(profile.phases.map((p) => p.mode))];
  const valueUnit = modes.map((m) => (m === "pressure" ? "bar" : m === "flow" ? "ml/s" : "%·12")).join(" · ");
  const segments: { mode: keyof typeof MODE_COLOR; d: string }[] = [];
  pts.forEach((p, i) => {
    const prev = pts[i - 1];
    if (!prev || prev.phase !== p.phase) segments.push({ mode: p.mode, d: `M${xAt(p.t).toFixed(1)},${yAt(y(p)).toFixed(1)}` });
    else (segments.at(-1) as { d: string }).d += ` L${xAt(p.t).toFixed(1)},${yAt(y(p)).toFixed(1)}`;
  });
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      height={height}
      role="img"
      aria-label={label ?? t("{name}: target over time", { name: profile.name })}
      className="profile-curve"
    >
      <line x1={LEFT} x2={width - 4} y1={yAt(9)} y2={yAt(9)} stroke="currentColor" strokeOpacity={0.15} strokeDasharray="4 4" />
      <g className="axis" fontSize={9} fill="currentColor" fillOpacity={0.7}>
        <line x1={LEFT} x2={LEFT} y1={6} y2={height - BOTTOM} stroke="currentColor" strokeOpacity={0.3} />
        <line x1={LEFT} x2={width - 4} y1={height - BOTTOM} y2={height - BOTTOM} stroke="currentColor" strokeOpacity={0.3} />
        <text x={LEFT - 3} y={yAt(0) + 3} textAnchor="end">
          0
        </text>
        <text x={LEFT - 3} y={yAt(9) + 3} textAnchor="end">
          9
        </text>
        <text x={LEFT + 3} y={12}>
          {valueUnit}
        </text>
        <text x={width - 4} y={height - 3} textAnchor="end">
          {Math.round(tMax)} s
        </text>
        <text x={LEFT} y={height - 3}>
          0
        </text>
      </g>
      {segments.map((s, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional, one per phase
        <path key={i} d={s.d} fill="none" stroke={MODE_COLOR[s.mode]} strokeWidth={2.5} />
      ))}
    </svg>
  );
}
