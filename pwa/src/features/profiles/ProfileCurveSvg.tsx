/** A profile's target curve as a small SVG (no chart library: it is static and tiny). */
import type { Profile } from "@brewos/protocol/profile";
import { profileCurve } from "./profile-curve.ts";

const MODE_COLOR = { pressure: "#2f6fdf", flow: "#1f9d68", power: "#b5651d" };

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
  const xAt = (t: number) => 4 + (t / tMax) * (width - 8);
  const yAt = (v: number) => height - 4 - (v / vMax) * (height - 8);
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
      aria-label={label ?? `${profile.name}: target over time`}
      className="profile-curve"
    >
      <line x1={4} x2={width - 4} y1={yAt(9)} y2={yAt(9)} stroke="currentColor" strokeOpacity={0.15} strokeDasharray="4 4" />
      {segments.map((s, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional, one per phase
        <path key={i} d={s.d} fill="none" stroke={MODE_COLOR[s.mode]} strokeWidth={2.5} />
      ))}
    </svg>
  );
}
