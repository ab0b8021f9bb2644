/**
 * @module A shot as Beanconqueror's brew export (`brew`, `bean`, `mill`, `preparation`, `water`,
 * `brewFlow`), the shape its flow import and visualizer.coffee's Beanconqueror parser read: brewFlow
 * series of `{timestamp, brew_time, …}` with `actual_weight`, `value` (water flow), `flow_value`,
 * `actual_pressure` and `actual_temperature` (field names from the peers study, §4.5).
 */
import type { SampleRow } from "@brewos/protocol/api";
import type { ShotRecord } from "../store/shot-store.ts";

/** Beanconqueror's wall-clock form: HH:mm:ss.SSS. */
const clock = (ms: number) => new Date(ms).toISOString().slice(11, 23);

export function exportBeanconqueror(shot: ShotRecord, rows: readonly SampleRow[], profileTitle: string): string {
  const at = (r: SampleRow) => ({ timestamp: clock(shot.started_at_ms + r.t_s * 1000), brew_time: String(r.t_s) });
  const cup = shot.yield_g ?? shot.settled_weight_g ?? shot.final_weight_g;
  const weighed = rows.filter((r) => r.weight_g !== null);
  const flows = weighed.map((r, i) => {
    const prev = weighed[i - 1];
    const dt = prev ? r.t_s - prev.t_s : 0;
    return { ...at(r), flow_value: prev && dt > 0 ? Math.round((((r.weight_g ?? 0) - (prev.weight_g ?? 0)) / dt) * 100) / 100 : 0 };
  });
  return JSON.stringify({
    brew: {
      grind_size: shot.grind ?? "",
      grind_weight: shot.dose_g ?? 0,
      brew_beverage_quantity: cup ?? 0,
      brew_beverage_quantity_type: "GR",
      brew_time: shot.duration_ms === null ? 0 : Math.round(shot.duration_ms / 1000),
      rating: shot.rating ?? 0,
      note: shot.notes ?? "",
      pressure_profile: profileTitle,
      config: { unix_timestamp: Math.floor(shot.started_at_ms / 1000), uuid: shot.id },
    },
    bean: { name: shot.beans ?? "", roaster: "", roast: "", roastingDate: "" },
    mill: { name: "" },
    preparation: { name: "BrewOS" },
    water: {},
    brewFlow: {
      weight: weighed.map((r) => ({ ...at(r), actual_weight: r.weight_g, old_weight: r.weight_g, not_mutated_weight: r.weight_g })),
      waterFlow: rows.map((r) => ({ ...at(r), value: r.flow_ml_s })),
      realtimeFlow: flows,
      pressureFlow: rows.map((r) => ({ ...at(r), actual_pressure: r.pressure_bar, old_pressure: r.pressure_bar })),
      temperatureFlow: rows.map((r) => ({ ...at(r), actual_temperature: r.brew_c, old_temperature: r.brew_c })),
    },
  });
}
