/**
 * @module Sync shapes and limits without the validators (the app's first screen must not carry
 * zod): the row as it syncs, the hub's messages, and the protocol constants. The schemas that
 * check incoming messages are in messages.ts.
 */

export const SYNC_VERSION = 1;
/** Schema versions of the shot row this hub can sync with. */
export const SYNC_SCHEMAS = [1] as const;
export const MAX_PUSH = 100;
export const MAX_PULL = 1000;

/** Most points in a hand-logged shot's weight curve (10 minutes at 10 Hz). */
export const MAX_CURVE_POINTS = 6000;

/** A hand-logged shot's weight over time, from a scale the phone held: seconds from the start, grams. */
export interface WeightCurve {
  t_s: number[];
  g: number[];
}

/** A shot row as it syncs: the immutable core, then every editable field with its clock. */
export interface SyncRow {
  id: string;
  server_seq: number;
  status: string;
  source: string;
  started_at_ms: number;
  duration_ms: number | null;
  stop_reason: string | null;
  end_flags: string[];
  profile_slot: number | null;
  profile_name: string | null;
  target_g: number | null;
  final_weight_g: number | null;
  settled_weight_g: number | null;
  volume_ml: number | null;
  max_pressure_bar: number | null;
  mean_brew_c: number | null;
  sample_count: number;
  /** A hand-logged shot timed with the phone's scale: its weight curve (immutable, like the core). */
  weight_curve?: WeightCurve | null;
  values: {
    notes: string | null;
    rating: number | null;
    beans: string | null;
    grind: string | null;
    dose_g: number | null;
    yield_g: number | null;
    deleted: boolean;
    /** The library bean this shot was pulled with (its name is in `beans` too, for exports). */
    bean_id: string | null;
  };
  clocks: Partial<Record<"notes" | "rating" | "beans" | "grind" | "dose_g" | "yield_g" | "deleted" | "bean_id", string>>;
}

/** A shot's editable values before anyone edited them. */
export const EMPTY_SHOT_VALUES: SyncRow["values"] = {
  notes: null,
  rating: null,
  beans: null,
  grind: null,
  dose_g: null,
  yield_g: null,
  deleted: false,
  bean_id: null,
};

/** A bean in the household's library, as it syncs: every field editable, with its clock. */
export interface BeanRow {
  id: string;
  server_seq: number;
  values: {
    name: string | null;
    roaster: string | null;
    origin: string | null;
    /** Local date "YYYY-MM-DD". */
    roast_date: string | null;
    notes: string | null;
    grinder: string | null;
    /** The grinder setting last used with this bean (remembered for the next shot). */
    grind_setting: string | null;
    deleted: boolean;
  };
  clocks: Partial<Record<keyof BeanRow["values"], string>>;
}

export type SyncServerMessage =
  | { type: "sync_welcome"; v: 1; hub_id: string; seq: number }
  | { type: "sync_reset"; v: 1; reason: "schema" | "behind_horizon"; message: string }
  | { type: "sync_ack"; v: 1; last_mutation_id: number; rejected: { mutation_id: number; code: string; message: string }[] }
  | { type: "sync_changes"; v: 1; rows: SyncRow[]; beans?: BeanRow[]; cursor: number; has_more: boolean }
  | { type: "sync_poke"; v: 1; seq: number }
  | { type: "sync_error"; v: 1; code: string; message: string };

/** A bean's values before anyone filled them in. */
export const EMPTY_BEAN: BeanRow["values"] = {
  name: null,
  roaster: null,
  origin: null,
  roast_date: null,
  notes: null,
  grinder: null,
  grind_setting: null,
  deleted: false,
};
