/** @module A shot's samples: fetched from the hub once and kept on this device (they never change). */
import type { SampleRow } from "@brewos/protocol/api";
import { hubApi } from "../shared/hub-api.ts";
import { db } from "./db.ts";

export async function samplesFor(id: string): Promise<SampleRow[]> {
  const cached = await db.samples.get(id);
  if (cached) return cached.samples as SampleRow[];
  const r = await hubApi.samples(id);
  const shot = await db.shots.get(id);
  if (shot && shot.status !== "recording") await db.samples.put({ shot_id: id, samples: r.samples });
  return r.samples;
}

/**
 * Keep a just-recorded shot's samples on this device at once, so its chart opens offline later —
 * the shot just watched live included. Quietly does nothing when the hub cannot be reached.
 */
export async function keepSamples(shot: { id: string; status: string; sample_count: number }): Promise<void> {
  if (shot.status === "recording" || shot.sample_count === 0 || (await db.samples.get(shot.id))) return;
  try {
    const r = await hubApi.samples(shot.id);
    await db.samples.put({ shot_id: shot.id, samples: r.samples });
  } catch {
    // Fetched on first open instead.
  }
}

/** What ended up in the cup: entered by a person, else the settled weight, else the weight at the stop. */
export function yieldOf(s: {
  values: { yield_g: number | null };
  settled_weight_g: number | null;
  final_weight_g: number | null;
}): number | null {
  return s.values.yield_g ?? s.settled_weight_g ?? s.final_weight_g;
}
