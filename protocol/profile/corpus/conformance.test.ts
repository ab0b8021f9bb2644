/**
 * The conformance corpus (public profiles of Gaggiuino, GaggiMate and Decent, SOURCES.md) runs in
 * the simulator and agrees with each source firmware's rules: no file changes silently, and the
 * check itself catches the import mistake this issue started from.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importProfile } from "../src/index.ts";
import { checkCorpus, checkFile, corpusTable } from "./conformance.ts";

const SIM = join(import.meta.dir, "..", "..", "..", "build", "host", "brewos-sim");
const CORPUS = import.meta.dir;

describe("the conformance corpus", () => {
  test("every file is faithful, declared lossy or refused with its reason; none changes silently", () => {
    const verdicts = checkCorpus(SIM, CORPUS);
    const table = corpusTable(verdicts);
    console.log(JSON.stringify({ corpus: table }, null, 1));
    expect(verdicts.length).toBeGreaterThanOrEqual(25);
    for (const row of table) {
      expect(row.silent).toBe(0);
      expect(row.differs).toBe(0);
    }
    const total = table.reduce((n, r) => n + r.files, 0);
    const accounted = table.reduce((n, r) => n + r.faithful + r.declared_lossy + r.refused, 0);
    expect(accounted / total).toBeGreaterThanOrEqual(0.95);
    for (const v of verdicts.filter((x) => x.outcome === "refused")) expect(v.notes[0]).toMatch(/phases|steps|temperature|pump/);
  }, 120_000);

  test("the check catches a Gaggiuino start of 0 read as 'from 0 bar' (the bug it was written for)", () => {
    const dir = mkdtempSync(join(tmpdir(), "brewos-corpus-neg-"));
    try {
      const literalZero = (text: string) => {
        const r = importProfile(text);
        const src = JSON.parse(text) as { phases: { target: { start: number } }[] };
        const phases = r.result.phases.map((p, i) => ((src.phases[i]?.target.start ?? 1) <= 0 ? { ...p, from: 0 } : p));
        return { ...r, result: { ...r.result, phases }, unmapped: [] };
      };
      const v = checkFile(SIM, "gaggiuino", join(CORPUS, "gaggiuino", "IUIUIU Classic.json"), dir, literalZero);
      expect(v.outcome).toBe("silent");
      const right = checkFile(SIM, "gaggiuino", join(CORPUS, "gaggiuino", "IUIUIU Classic.json"), dir);
      expect(right.outcome).toBe("declared-lossy");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
