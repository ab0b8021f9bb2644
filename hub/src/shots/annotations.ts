/** @module What a person may edit on a recorded shot, and its limits: one source for the API, sync and backups. */
import { z } from "zod";

/** What a person may edit on a recorded shot. */
export const ShotAnnotationsSchema = z
  .object({
    dose_g: z.number().min(1).max(100).nullable(),
    yield_g: z.number().min(0).max(1000).nullable(),
    rating: z.number().int().min(1).max(5).nullable(),
    notes: z.string().max(4000).nullable(),
    beans: z.string().max(200).nullable(),
    grind: z.string().max(100).nullable(),
  })
  .partial()
  .strict();
