/**
 * Every scale family against its golden vectors (protocol/scales/vectors, written from the documented
 * byte layouts by an independent script, not by these codecs): names, notifications — whole and cut
 * across notifications — commands, keep-alives, handshakes, and corrupt frames that must never read
 * as a weight.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { familyById, familyFor, hex, SCALE_FAMILIES, type ScaleEvent } from "./index.ts";

interface Vectors {
  family: string;
  names: { match: string[]; reject: string[] };
  notifications: { hex: string; chunks?: number[]; characteristic?: string; events: Record<string, unknown>[] }[];
  commands: Record<string, string[]>;
  keep_alive?: string[];
  handshake?: string[];
  corrupt: { hex: string; reason: string }[];
}

const dir = join(import.meta.dir, "..", "vectors");
const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
const fromHex = (s: string) => Uint8Array.from(s.split(" ").map((x) => Number.parseInt(x, 16)));

/** Cut `b` at the given offsets (each relative to the previous cut). */
function cut(b: Uint8Array, at: number[] = []): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (const n of at) {
    out.push(b.slice(from, from + n));
    from += n;
  }
  out.push(b.slice(from));
  return out;
}

const round = (e: ScaleEvent) => (e.kind === "weight" ? { ...e, grams: Math.round(e.grams * 1000) / 1000 } : e);

test("every family has a vector file, and every vector file a family", () => {
  expect(files.map((f) => f.replace(".json", "")).sort()).toEqual(SCALE_FAMILIES.map((f) => f.id).sort());
});

describe("scale vectors", () => {
  const counts: Record<string, number> = {};
  for (const f of files) {
    const v = JSON.parse(readFileSync(join(dir, f), "utf8")) as Vectors;
    test(`${v.family}: names, frames, commands and corrupt input`, () => {
      const fam = familyById(v.family);
      expect(fam).not.toBeNull();
      if (!fam) return;
      for (const n of v.names.match) expect(familyFor(n)?.id).toBe(v.family);
      for (const n of v.names.reject) expect(familyFor(n)?.id === v.family).toBe(false);
      for (const n of v.notifications) {
        const d = fam.decoder();
        const events = cut(fromHex(n.hex), n.chunks).flatMap((c) => d.push(c, n.characteristic ?? fam.gatt[0]?.notify[0]));
        expect(events.map(round)).toEqual(n.events as ScaleEvent[]);
      }
      for (const [c, want] of Object.entries(v.commands)) expect((fam.command(c as never) ?? []).map(hex)).toEqual(want);
      if (v.keep_alive) expect(fam.keepAlive?.bytes().map(hex)).toEqual(v.keep_alive);
      if (v.handshake) expect(fam.handshake?.().map(hex)).toEqual(v.handshake);
      for (const c of v.corrupt) {
        const events = fam.decoder().push(fromHex(c.hex), fam.gatt[0]?.notify[0]);
        expect(events.some((e) => e.kind === "weight")).toBe(false);
        expect(events.find((e) => e.kind === "corrupt")).toMatchObject({ kind: "corrupt", reason: expect.stringContaining(c.reason) });
      }
      counts[v.family] =
        v.names.match.length + v.names.reject.length + v.notifications.length + Object.values(v.commands).flat().length + v.corrupt.length;
    });
  }
  test("vector counts per family", () => {
    console.log(`scale vectors per family: ${JSON.stringify(counts)}`);
    expect(Object.keys(counts).length).toBe(files.length);
  });
});

test("a name no family claims is not guessed at; Timemore's SIG UUIDs do not make it a SIG scale", () => {
  expect(familyFor("JBL Flip 5")).toBeNull();
  expect(familyFor("")).toBeNull();
  expect(familyFor("Timemore Scale")?.id).toBe("timemore");
});
