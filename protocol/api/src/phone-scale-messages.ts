/**
 * @module The hub's check of what a phone sends about the scale it lends (phone-scale.ts has the
 * types and what they mean); kept apart so the app loads no validator.
 */
import { z } from "zod";
import { PHONE_SCALE_STALE_MS, PHONE_SCALE_VERSION, type PhoneScaleFromApp } from "./phone-scale.ts";

const Reading = z.strictObject({
  grams: z.number().min(-5000).max(5000),
  stable: z.boolean(),
  /** Age on the phone when the message was sent (ms). */
  age_ms: z
    .int()
    .min(0)
    .max(PHONE_SCALE_STALE_MS * 5),
});

export const PhoneScaleMessage = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("phone_scale"),
    v: z.literal(PHONE_SCALE_VERSION),
    scale: z
      .strictObject({
        name: z.string().max(64).nullable(),
        /** A family id from @brewos/protocol/scales (acaia, decent, …). */
        family: z.string().min(1).max(32),
        /** The family's measurement lag (ms), for the controller's stop. */
        lag_ms: z.int().min(0).max(2000),
        battery_pct: z.int().min(0).max(100).nullable(),
      })
      .nullable(),
    readings: z.array(Reading).max(50),
  }),
  z.strictObject({
    type: z.literal("phone_scale_tared"),
    v: z.literal(PHONE_SCALE_VERSION),
    id: z.int().min(0),
    ok: z.boolean(),
    message: z.string().max(200).optional(),
  }),
]);

// The schema and the types say the same thing.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _same: Same<z.infer<typeof PhoneScaleMessage>, PhoneScaleFromApp> = true;
void _same;
