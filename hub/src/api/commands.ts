/**
 * @module Commands people send (WebSocket and REST), validated before anything reaches the
 * machine. Numeric ranges come from the protocol table (protocol/uart/messages.json), converted to
 * people's units, so the API can never accept what the controller would refuse on range.
 */
import { HeatingStrategy, messageDescriptor, type UartMessageType } from "@brewos/protocol/uart";
import { z } from "zod";

function range(message: UartMessageType, field: string, scale: number) {
  const f = messageDescriptor(message).fields.find((x) => x.name === field);
  if (!f) throw new Error(`protocol has no ${message}.${field}`);
  return z
    .number()
    .min(f.min / scale)
    .max(f.max / scale);
}

/** The shot's own numbers: one definition for start_shot and the next-shot recipe. */
export const SHOT_FIELDS = {
  /** A bundled or library profile by id. */
  profile_id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  dose_g: range("shot_start", "dose_dg", 10),
  // A stop is absent or a real one: values that would round to "no stop" on the wire are refused.
  target_g: range("shot_start", "target_weight_dg", 10).min(1),
  stop_time_s: range("shot_start", "stop_time_ms", 1000).min(1),
};

const strategies = Object.keys(HeatingStrategy) as [keyof typeof HeatingStrategy, ...(keyof typeof HeatingStrategy)[]];

export const ApiCommandSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("set_mode"), mode: z.enum(["standby", "brew", "steam"]) }),
  z
    .strictObject({
      type: z.literal("set_setpoints"),
      brew_c: range("desired_state", "brew_setpoint_cdeg", 100).optional(),
      steam_c: range("desired_state", "steam_setpoint_cdeg", 100).optional(),
    })
    .refine((c) => c.brew_c !== undefined || c.steam_c !== undefined, { message: "give brew_c, steam_c or both" }),
  z.strictObject({ type: z.literal("set_heating_strategy"), strategy: z.enum(strategies) }),
  z.strictObject({ type: z.literal("set_eco"), on: z.boolean() }),
  z.strictObject({
    type: z.literal("start_shot"),
    profile_slot: z
      .int()
      .min(0)
      .max(messageDescriptor("shot_start").fields.find((f) => f.name === "profile_slot")?.max ?? 8)
      .default(0),
    /** The hub puts this profile in a slot first (instead of profile_slot). */
    profile_id: SHOT_FIELDS.profile_id.optional(),
    dose_g: SHOT_FIELDS.dose_g.optional(),
    target_g: SHOT_FIELDS.target_g.optional(),
    stop_time_s: SHOT_FIELDS.stop_time_s.optional(),
    stop_volume_ml: range("shot_start", "stop_volume_ul", 1000).min(5).optional(),
    require_scale: z.boolean().default(false),
  }),
  z.strictObject({ type: z.literal("stop_shot") }),
  /** Run water through the group for a few seconds (no portafilter): not a shot, not recorded. */
  z.strictObject({ type: z.literal("flush"), seconds: z.number().min(1).max(10).default(5) }),
  z.strictObject({ type: z.literal("clear_fault") }),
  z.strictObject({
    type: z.literal("start_autotune"),
    boiler: z.enum(["brew", "steam"]),
    /** Relay swing as a share of full heater power. */
    amplitude_pct: range("autotune_start", "amplitude_pmil", 10).default(60),
  }),
]);

export type ApiCommand = z.infer<typeof ApiCommandSchema>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; code: string; message: string; issues: { path: string; message: string }[] };

/** Validate untrusted input against `schema`; the error (`code`) names each bad field and why. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown, code: string, what: string): Parsed<T> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const issues = r.error.issues.map((i) => ({ path: i.path.join(".") || `(${what})`, message: i.message }));
  return { ok: false, code, message: issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues };
}

export function parseCommand(input: unknown): Parsed<ApiCommand> {
  return parseWith(ApiCommandSchema, input, "invalid_command", "command");
}

export { ShotAnnotationsSchema } from "../shots/annotations.ts";
