/** Test and bench helper: a finished machine shot written straight into a store (no simulator). */
import type { ShotStore } from "../store/shot-store.ts";

export interface FakeShot {
  started_at_ms?: number;
  shot_token?: number;
  duration_ms?: number;
  final_weight_g?: number | null;
  stop_reason?: string;
}

export function recordShot(shots: ShotStore, o: FakeShot = {}): string {
  const id = shots.begin({
    started_at_ms: o.started_at_ms ?? Date.now() - 60_000,
    shot_token: o.shot_token ?? 1,
    source: "command",
    profile_slot: 0,
    profile_json: null,
    dose_g: 18,
    target_g: 36,
  });
  shots.finish(id, [], {
    duration_ms: o.duration_ms ?? 28_000,
    stop_reason: o.stop_reason ?? "weight",
    end_flags: [],
    volume_ml: 45,
    final_weight_g: o.final_weight_g === undefined ? 36 : o.final_weight_g,
    max_pressure_bar: 9,
    mean_brew_c: 93,
  });
  return id;
}
