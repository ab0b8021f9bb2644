/** Bench helper: a 30 s shot at 20 Hz (600 samples) in 1 s chunks, like the recorder checkpoints; `k` varies it. */
import type { Sample } from "../../hub/src/store/samples-codec.ts";
import type { ShotStore } from "../../hub/src/store/shot-store.ts";

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

/** Writes one finished bench shot (its 600 samples in one chunk) started at `startedAtMs`; its id. */
export function addBenchShot(store: ShotStore, k: number, startedAtMs: number): string {
  const id = store.begin({
    started_at_ms: startedAtMs,
    shot_token: k % 65536,
    source: "command",
    profile_slot: 0,
    profile_json: null,
    dose_g: 18,
    target_g: 36,
  });
  store.finish(id, shotSamples(k).flat(), BENCH_SUMMARY);
  return id;
}

/** The summary every bench shot ends with. */
export const BENCH_SUMMARY = {
  duration_ms: 30000,
  stop_reason: "weight",
  end_flags: [],
  volume_ml: 54,
  final_weight_g: 36,
  max_pressure_bar: 9,
  mean_brew_c: 93,
};
