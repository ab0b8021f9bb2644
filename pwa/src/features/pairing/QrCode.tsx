/** A QR code as SVG, with a text alternative for screen readers. */
import { useMemo } from "react";
import { qrPath } from "./qr.ts";

export function QrCode({ text, label, sizePx = 220 }: { text: string; label: string; sizePx?: number }) {
  const { size, d } = useMemo(() => qrPath(text), [text]);
  return (
    <svg
      className="qr"
      role="img"
      aria-label={label}
      width={sizePx}
      height={sizePx}
      viewBox={`0 0 ${size} ${size}`}
      shapeRendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
