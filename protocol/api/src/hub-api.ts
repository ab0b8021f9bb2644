/**
 * @module The hub's API shapes (REST bodies and /ws messages) as TypeScript types, and the one
 * command built from them: one source for the hub that produces them and the app that reads them. Field meanings and units are in
 * docs/api/ (websocket.md, rest.md, commands.md, errors.md).
 */

/** The machine as the hub sees it; `seq` grows by one per change. */
export interface MachineSnapshot {
  seq: number;
  link: "up" | "down";
  /** The link to the controller is down: every value below is the last one seen, not live. */
  stale: boolean;
  state: string;
  /** The mode the hub asks of the machine (what the owner last chose): standby, brew or steam. */
  mode: "standby" | "brew" | "steam";
  /** The temperatures the owner chose (°C); `brew_setpoint_c` / `steam_setpoint_c` are what the controller aims at now (lower in eco, 0 when off). */
  brew_target_c: number;
  steam_target_c: number;
  /** The owner's heating strategy and eco choice (what the hub asks for). */
  heating_strategy: "brew_only" | "sequential" | "parallel" | "staggered";
  eco: boolean;
  ready: boolean;
  /** Seconds (real time) until the brew boiler is at its setpoint; 0 when there; null when unknown. */
  eta_ready_s: number | null;
  brew_c: number;
  steam_c: number;
  group_c: number;
  brew_setpoint_c: number;
  steam_setpoint_c: number;
  pressure_bar: number;
  flow_ml_s: number;
  shot_volume_ml: number;
  /** Heater and pump outputs; null while the link is down (unknown: the controller decides alone). */
  brew_heater_pct: number | null;
  steam_heater_pct: number | null;
  pump_pct: number | null;
  brewing: boolean;
  shot_elapsed_s: number | null;
  shot_phase: number | null;
  shot_token: number | null;
  alarm: string | null;
  flags: string[];
  /** Cup weight from the scale in grams; null with no scale connected. */
  weight_g: number | null;
  scale_connected: boolean;
  /** What the controller said it is at its last hello; null before the first hello. */
  machine: MachineKind | null;
}

/** The machine's build as the controller reports it (capability names as in protocol/uart). */
export interface MachineKind {
  type: "single_boiler" | "dual_boiler" | "heat_exchanger" | "unknown";
  /** on_off: a relay-switched pump (power profiles only); dimmable / gear: follows pressure and flow. */
  pump: "on_off" | "dimmable" | "gear";
  capabilities: string[];
}

/**
 * The recipe for the next shot, kept by the hub so the app, Home Assistant and the display read and
 * set the same one (GET/PUT /api/next-shot; pushed as `next_shot` on /ws when it changes).
 */
export interface NextShot {
  /** A bundled or library profile id; null: the machine's default shot. */
  profile_id: string | null;
  dose_g: number;
  /** Stop at this cup weight (a volume that makes it with no scale); null: no weight stop. */
  target_g: number | null;
  /** Stop at this shot time; null: no time stop (the profile's end or the volume cap). */
  stop_time_s: number | null;
  /** Who changed it last and when (ms since the epoch). */
  updated_by: "app" | "home_assistant" | "display" | "default";
  updated_at_ms: number;
}

/** The recipe before anyone set one: the machine's own shot, 18 g in, 36 g out, no time stop. */
export const DEFAULT_NEXT_SHOT: NextShot = {
  profile_id: null,
  dose_g: 18,
  target_g: 36,
  stop_time_s: null,
  updated_by: "default",
  updated_at_ms: 0,
};

/** The start_shot command that pulls a recipe (the hub, the app and the display send the same). */
export function startCommand(n: Pick<NextShot, "profile_id" | "dose_g" | "target_g" | "stop_time_s">): Record<string, unknown> {
  return {
    type: "start_shot",
    ...(n.profile_id ? { profile_id: n.profile_id } : {}),
    dose_g: n.dose_g,
    ...(n.target_g ? { target_g: n.target_g } : {}),
    ...(n.stop_time_s ? { stop_time_s: n.stop_time_s } : {}),
    require_scale: false,
  };
}

export type MachineSnapshotFields = Omit<MachineSnapshot, "seq">;

export type ShotStatus = "recording" | "complete" | "interrupted";

/** One shot in the history (REST `/api/shots`, `/ws` `shot_recorded`). */
export interface ShotRecord {
  id: string;
  server_seq: number;
  status: ShotStatus;
  started_at_ms: number;
  shot_token: number;
  source: string;
  profile_slot: number | null;
  profile_json: string | null;
  dose_g: number | null;
  target_g: number | null;
  duration_ms: number | null;
  stop_reason: string | null;
  end_flags: string[];
  volume_ml: number | null;
  final_weight_g: number | null;
  max_pressure_bar: number | null;
  mean_brew_c: number | null;
  /** Cup weight once it settled after the shot (drips included); null without a scale. */
  settled_weight_g: number | null;
  /** The yield a person entered; when set it is the shot's yield. */
  yield_g: number | null;
  sample_count: number;
  rating: number | null;
  notes: string | null;
  beans: string | null;
  grind: string | null;
  updated_at_ms: number;
}

/** One telemetry sample of a recorded shot, in people's units. */
/** What `GET /api/shots/:id/export?format=` makes: ours (JSON, CSV), Decent JSON v2 and the SEP CSV
 * for visualizer.coffee, and Beanconqueror's brew export. */
export const SHOT_EXPORT_FORMATS = ["json", "csv", "visualizer", "visualizer-csv", "beanconqueror"] as const;
export type ShotExportFormat = (typeof SHOT_EXPORT_FORMATS)[number];

export interface SampleRow {
  t_s: number;
  brew_c: number;
  group_c: number;
  pressure_bar: number;
  flow_ml_s: number;
  volume_ml: number;
  pump_pct: number;
  weight_g: number | null;
  phase: number | null;
}

export interface ApiIssue {
  path: string;
  message: string;
}

/** Every REST error body. */
export interface ApiErrorBody {
  error: { code: string; message: string; issues?: ApiIssue[] };
}

/** Gains the controller proposes after a relay autotune (wire units of the PID config keys). */
export interface AutotuneResult {
  boiler: "brew" | "steam";
  /** ok, aborted, timeout, no_oscillation */
  status: string;
  kp_milli: number;
  ki_milli: number;
  kd_milli: number;
  period_s: number;
  amplitude_c: number;
  at_ms: number;
}

/** The controller's firmware for the update screen (GET /api/controller/firmware, ws "firmware"). */
export interface ControllerFirmware {
  running: { version: string; proto_major: number; boot: "confirmed" | "trial" | "rolled_back" } | null;
  /** The link is up: the controller speaks this hub's protocol. */
  compatible: boolean;
  /** Why the hub refuses control (an incompatible controller), or null. */
  link_problem: string | null;
  /** The signed release this hub carries; `newer` when it is newer than what runs. */
  available: { version: string; notes: string; newer: boolean; size: number } | null;
  /** The release on the hub is unusable (bad signature, damaged, wrong board or order). */
  release_problem: { code: string; message: string } | null;
  update: { phase: UpdatePhase; version: string | null; sent_bytes: number; size: number };
  last: { outcome: UpdateOutcome; version: string; code: string; message: string; at: number } | null;
}

export type UpdatePhase = "idle" | "sending" | "verifying" | "rebooting" | "confirming";
export type UpdateOutcome = "confirmed" | "rolled_back" | "failed";

/** What the hub sends on /ws. */
export type WsServerMessage =
  | { type: "snapshot"; state: MachineSnapshot; link: string }
  | { type: "delta"; from_seq: number; seq: number; changes: Partial<MachineSnapshotFields>; rx_ms: number }
  | { type: "shot_recorded"; shot: ShotRecord }
  | { type: "shot_updated"; shot: ShotRecord }
  | { type: "autotune_result"; result: AutotuneResult }
  | { type: "next_shot"; next_shot: NextShot }
  | { type: "firmware"; firmware: ControllerFirmware }
  | ({ type: "result"; id: string } & (
      | { ok: true; [detail: string]: unknown }
      | { ok: false; code: string; message: string; issues?: ApiIssue[] }
    ))
  | { type: "error"; id?: string; code: string; message: string };
