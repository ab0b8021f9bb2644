/**
 * Compares a screenshot with a committed reference: the share of pixels whose colour differs by
 * more than `threshold` (0–255 per channel, summed). Live numbers change a few glyphs; layout or
 * colour regressions change many.
 */
import { PNG } from "pngjs";

export function differingShare(a: Uint8Array, b: Uint8Array, threshold = 48): number {
  const x = PNG.sync.read(Buffer.from(a));
  const y = PNG.sync.read(Buffer.from(b));
  if (x.width !== y.width || x.height !== y.height) return 1;
  let diff = 0;
  for (let i = 0; i < x.data.length; i += 4) {
    const d =
      Math.abs((x.data[i] ?? 0) - (y.data[i] ?? 0)) +
      Math.abs((x.data[i + 1] ?? 0) - (y.data[i + 1] ?? 0)) +
      Math.abs((x.data[i + 2] ?? 0) - (y.data[i + 2] ?? 0));
    if (d > threshold) diff++;
  }
  return diff / (x.width * x.height);
}
