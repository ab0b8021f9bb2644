/** Bench helper: a 30 s shot at 20 Hz (600 samples) in 1 s chunks, like the recorder checkpoints; `k` varies it. */
import type { Sample } from "../../hub/src/store/samples-codec.ts";

export function shotSamples(k: number): Sample[][] {
  const chunks: Sample[][] = [];
  for (let c = 0; c < 30; c++) {
    chunks.push(
      Array.from({ length: 20 }, (_, j) => {
        const i = c * 20 + j;
        return {
          t_ms: i * 50,
          brew_cdeg: 9300 + Math.round(30 * Math.sin((i + k) / 37)),
          group_cdeg: 9150,
          pressure_mbar: Math.min(9000, i * 40),
          flow_ul_s: 1800 + ((i * 7 + k) % 300),
          volume_ul: i * 90,
          pump_pmil: 1000,
          weight_dg: Math.max(0, (i - 150) * 8),
          phase: i < 150 ? 0 : 1,
        };
      }),
    );
  }
  return chunks;
}
