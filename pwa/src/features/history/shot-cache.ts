/**
 * @module The phone's copy of the shot history (Dexie/IndexedDB), so history opens with no network.
 * Until the sync issue lands this is a cache of the hub: a refresh pulls pages newest-first and
 * stops at the first page it already has unchanged (`server_seq`); samples are fetched when a shot
 * is opened and kept (they never change).
 */
import type { SampleRow, ShotRecord } from "@brewos/protocol/api";
import Dexie, { type EntityTable } from "dexie";
import { hubApi } from "../../shared/hub-api.ts";

interface CachedSamples {
  shot_id: string;
  samples: SampleRow[];
}

export const historyDb = new Dexie("brewos-history") as Dexie & {
  shots: EntityTable<ShotRecord, "id">;
  samples: EntityTable<CachedSamples, "shot_id">;
};
historyDb.version(1).stores({ shots: "id, started_at_ms, server_seq", samples: "shot_id" });

const PAGE = 200;

/** Pull what changed on the hub; returns how many shots were written. */
export async function refreshFromHub(): Promise<number> {
  let before: string | undefined;
  let written = 0;
  for (;;) {
    const page = await hubApi.shots(PAGE, before);
    const known = await historyDb.shots.bulkGet(page.shots.map((s) => s.id));
    const changed = page.shots.filter((s, i) => known[i]?.server_seq !== s.server_seq);
    if (changed.length > 0) await historyDb.shots.bulkPut(changed);
    written += changed.length;
    if (changed.length === 0 || !page.next) return written;
    before = page.next;
  }
}

export async function putShot(shot: ShotRecord): Promise<void> {
  await historyDb.shots.put(shot);
}

export async function samplesFor(id: string): Promise<SampleRow[]> {
  const cached = await historyDb.samples.get(id);
  if (cached) return cached.samples;
  const r = await hubApi.samples(id);
  const shot = await historyDb.shots.get(id);
  if (shot && shot.status !== "recording") await historyDb.samples.put({ shot_id: id, samples: r.samples });
  return r.samples;
}
