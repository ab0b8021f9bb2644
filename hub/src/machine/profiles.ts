/**
 * @module Shot profiles on the machine: the bundled ones, and the eight controller slots the hub
 * fills by chunked upload (profile_chunk, each acked; the controller checks order and the whole
 * CRC before replacing a slot). The hub remembers what it put in each slot (on disk), uploads them
 * again whenever the controller (re)connects or the hub restarts, and gives the recorder the profile
 * a shot ran.
 */
import type { Database } from "bun:sqlite";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { encodeProfile, type Profile, parseProfile } from "@brewos/protocol/profile";
import { crc16CcittFalse, messageDescriptor } from "@brewos/protocol/uart";
import type { ControllerLink } from "../controller-link/controller-link.ts";
import { LinkError } from "../controller-link/controller-link.ts";
import { type CommandOutcome, fromAck } from "./control.ts";

export const PROFILE_SLOTS = 8;
const CHUNK_BYTES = messageDescriptor("profile_chunk").fields.find((f) => f.name === "data")?.maxLen ?? 232;

export function loadBundledProfiles(dir: string): Profile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => parseProfile(JSON.parse(readFileSync(join(dir, f), "utf8"))));
}

export class ProfileSlots {
  private readonly slots = new Map<number, Profile>();
  /** How many times every remembered slot has been put back after a (re)connect. */
  restores = 0;

  constructor(
    private readonly link: ControllerLink,
    readonly bundled: readonly Profile[],
    private readonly db: Database,
  ) {
    for (const r of db.query<{ slot: number; json: string }, []>("SELECT slot, json FROM profile_slots").all()) {
      this.slots.set(r.slot, parseProfile(JSON.parse(r.json)));
    }
  }

  inSlot(slot: number): Profile | null {
    return this.slots.get(slot) ?? null;
  }

  list(): Record<number, { id: string; name: string }> {
    return Object.fromEntries([...this.slots].map(([s, p]) => [s, { id: p.id, name: p.name }]));
  }

  async upload(slot: number, p: Profile): Promise<CommandOutcome> {
    if (!Number.isInteger(slot) || slot < 1 || slot > PROFILE_SLOTS)
      return { ok: false, code: "invalid_command", message: `slot must be 1..${PROFILE_SLOTS}` };
    const bin = encodeProfile(p);
    const crc = crc16CcittFalse(bin);
    const count = Math.ceil(bin.length / CHUNK_BYTES);
    try {
      for (let i = 0; i < count; i++) {
        const data = bin.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES);
        const ack = await this.link.command({
          type: "profile_chunk",
          slot,
          chunk_index: i,
          chunk_count: count,
          total_len: bin.length,
          total_crc16: crc,
          data,
        });
        const out = fromAck(ack, `profile "${p.name}" to slot ${slot}`);
        if (!out.ok) return out;
      }
    } catch (e) {
      if (e instanceof LinkError) return { ok: false, code: e.code, message: e.message };
      throw e;
    }
    this.slots.set(slot, p);
    this.db.query("INSERT OR REPLACE INTO profile_slots (slot, json) VALUES ($slot, $json)").run({ slot, json: JSON.stringify(p) });
    return { ok: true };
  }

  /** Put `p` in a slot for a shot: the slot already holding it, else the last slot. */
  async ensure(p: Profile): Promise<{ ok: true; slot: number } | { ok: false; code: string; message: string }> {
    for (const [slot, q] of this.slots) if (JSON.stringify(q) === JSON.stringify(p)) return { ok: true, slot };
    const r = await this.upload(PROFILE_SLOTS, p);
    return r.ok ? { ok: true, slot: PROFILE_SLOTS } : r;
  }

  /** After a (re)connect: put every remembered profile back. */
  async restoreAll(log?: (level: "info" | "warn", text: string) => void): Promise<void> {
    for (const [slot, p] of this.slots) {
      const r = await this.upload(slot, p);
      if (!r.ok) log?.("warn", `profile slot ${slot}: ${r.message}`);
    }
    this.restores++;
  }
}
