/**
 * @module The recipe for the next shot (profile, dose, target, stop), owned by the hub: one for
 * the app, Home Assistant and the display, kept in the database's `meta` table across restarts,
 * and announced to listeners when it changes. A damaged stored recipe reads as the default.
 */
import type { Database } from "bun:sqlite";
import { DEFAULT_NEXT_SHOT, type NextShot, startCommand } from "@brewos/protocol/api";
import { z } from "zod";
import { type Parsed, parseWith, SHOT_FIELDS } from "../api/commands.ts";
import { readMetaJson, writeMetaJson } from "../store/meta-json.ts";

export type { NextShot };
export { DEFAULT_NEXT_SHOT, startCommand };

const KEY = "next_shot";

// The ranges are start_shot's, so a recipe is always one the machine accepts.
/** A change to the recipe: any of its fields; null clears a profile or a stop. */
export const NextShotPatchSchema = z.strictObject({
  profile_id: SHOT_FIELDS.profile_id.nullable().optional(),
  dose_g: SHOT_FIELDS.dose_g.optional(),
  target_g: SHOT_FIELDS.target_g.nullable().optional(),
  stop_time_s: SHOT_FIELDS.stop_time_s.nullable().optional(),
});
export type NextShotPatch = z.infer<typeof NextShotPatchSchema>;

const StoredSchema = NextShotPatchSchema.required().extend({
  updated_by: z.enum(["app", "home_assistant", "display", "default"]),
  updated_at_ms: z.number(),
});

export class NextShotRecipe {
  private value: NextShot;
  private readonly listeners = new Set<(n: NextShot) => void>();

  constructor(
    private readonly db: Database,
    /** Whether a profile id names a bundled or library profile. */
    private readonly profileExists: (id: string) => boolean,
  ) {
    this.value = readMetaJson<NextShot>(db, KEY, (v) => StoredSchema.safeParse(v).success) ?? DEFAULT_NEXT_SHOT;
  }

  get(): NextShot {
    return { ...this.value };
  }

  /** Validate and apply a change from `by`; listeners hear the whole new recipe. */
  set(input: unknown, by: NextShot["updated_by"]): Parsed<NextShot> {
    const p = parseWith(NextShotPatchSchema, input, "invalid_next_shot", "next shot");
    if (!p.ok) return p;
    const id = p.value.profile_id;
    if (id && !this.profileExists(id)) {
      const message = `profile_id: no profile "${id}" (bundled or in the library)`;
      return { ok: false, code: "invalid_next_shot", message, issues: [{ path: "profile_id", message }] };
    }
    const next: NextShot = { ...this.value, ...stripUndefined(p.value), updated_by: by, updated_at_ms: Date.now() };
    writeMetaJson(this.db, KEY, next);
    this.value = next;
    for (const l of this.listeners) l(this.get());
    return { ok: true, value: this.get() };
  }

  onChange(listener: (n: NextShot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
