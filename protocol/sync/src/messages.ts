/**
 * @module The sync conversation between a phone (or tab leader) and the hub, carried on the hub's
 * `/ws` beside commands (and later through the relay unchanged). Every message has `type` and
 * `v` (this format's version). Validated at both ends with these schemas.
 *
 *   phone → hub: sync_hello {node_id, schema_version, cursor}
 *                sync_push {mutations: [{mutation_id, shot_id, fields, create?}
 *                                       | {mutation_id, bean_id, bean}]}          (outbox order, ≤ 100)
 *                sync_pull {since, limit}
 *   hub → phone: sync_welcome {hub_id, seq} | sync_reset {reason}
 *                sync_ack {last_mutation_id, rejected: [{mutation_id, code, message}]}
 *                sync_changes {rows, beans?, cursor, has_more}
 *                sync_poke {seq}                                                   (something changed: pull)
 */
import { z } from "zod";
import { HLC_LENGTH } from "./hlc.ts";
import { MAX_CURVE_POINTS, MAX_PULL, MAX_PUSH, SYNC_VERSION } from "./types.ts";

const hlc = z.string().length(HLC_LENGTH);
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, "a UUIDv7");
const edit = <T extends z.ZodType>(value: T) => z.tuple([value, hlc]);

export const FieldEditsSchema = z
  .strictObject({
    notes: edit(z.string().max(4000).nullable()),
    rating: edit(z.int().min(1).max(5).nullable()),
    beans: edit(z.string().max(200).nullable()),
    grind: edit(z.string().max(100).nullable()),
    dose_g: edit(z.number().min(1).max(100).nullable()),
    yield_g: edit(z.number().min(0).max(1000).nullable()),
    deleted: edit(z.boolean()),
    bean_id: edit(uuid.nullable()),
  })
  .partial();

const text = (max: number) => z.string().max(max).nullable();
/** A bean's values as a person may enter them (shared by sync pushes and backups). */
export const BeanValuesSchema = z.strictObject({
  name: text(120),
  roaster: text(120),
  origin: text(120),
  roast_date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD")
    .nullable(),
  notes: text(2000),
  grinder: text(80),
  grind_setting: text(40),
  deleted: z.boolean(),
});
export const BeanEditsSchema = z
  .strictObject(
    Object.fromEntries(Object.entries(BeanValuesSchema.shape).map(([k, v]) => [k, edit(v)])) as {
      [K in keyof typeof BeanValuesSchema.shape]: z.ZodTuple<[(typeof BeanValuesSchema.shape)[K], z.ZodString], null>;
    },
  )
  .partial();

/** A hand-logged shot's weight curve: times ascending from 0 to 600 s, one weight per time. */
export const WeightCurveSchema = z
  .strictObject({
    t_s: z.array(z.number().min(0).max(600)).max(MAX_CURVE_POINTS),
    g: z.array(z.number().min(-5000).max(5000)).max(MAX_CURVE_POINTS),
  })
  .refine((c) => c.t_s.length === c.g.length, { message: "t_s and g must have one entry per point" })
  .refine((c) => c.t_s.every((t, i) => i === 0 || t >= (c.t_s[i - 1] as number)), { message: "t_s must not go back in time" });

/** The immutable core of a shot logged by hand on a phone (no machine telemetry). */
export const ManualShotSchema = z.strictObject({
  started_at_ms: z.int().min(0),
  duration_ms: z.int().min(0).max(600_000).nullable(),
  /** Timed with the phone's scale: the weight as it came. */
  weight_curve: WeightCurveSchema.optional(),
});

export const SyncClientMessage = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("sync_hello"),
    v: z.literal(SYNC_VERSION),
    node_id: z.string().regex(/^[0-9a-f]{16}$/),
    schema_version: z.int(),
    cursor: z.int().min(0),
  }),
  z.strictObject({
    type: z.literal("sync_push"),
    v: z.literal(SYNC_VERSION),
    mutations: z
      .array(
        z.union([
          z.strictObject({ mutation_id: z.int().min(1), shot_id: uuid, fields: FieldEditsSchema, create: ManualShotSchema.optional() }),
          // A bean in the library: created by its first edit (bean ids are UUIDv7 made on the phone).
          z.strictObject({ mutation_id: z.int().min(1), bean_id: uuid, bean: BeanEditsSchema }),
        ]),
      )
      .min(1)
      .max(MAX_PUSH),
  }),
  z.strictObject({ type: z.literal("sync_pull"), v: z.literal(SYNC_VERSION), since: z.int().min(0), limit: z.int().min(1).max(MAX_PULL) }),
]);
export type SyncClientMessage = z.infer<typeof SyncClientMessage>;
