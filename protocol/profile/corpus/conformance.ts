/**
 * @module The conformance corpus: every public profile file in `corpus/` is imported as the app
 * imports it, then — if accepted — run as a shot in the simulator (the controller executing our
 * converted profile on the gear-pump dual boiler, a Decent Scale under the cup), and the controller's
 * phase and target at every 10 Hz sample are compared with what the source firmware's own rules
 * (`reference.ts`) would do with the source file on the same measured shot.
 *
 * A file is *faithful* when nothing was listed as unmapped and the run agrees; *declared lossy* when
 * the import listed what does not map and the run still agrees everywhere else; *refused* when the
 * import says why not; *silent* when the run disagrees and nothing was said — that must stay 0.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importProfile, ProfileError } from "../src/index.ts";
import { type Declared, decentReference, type Expected, gaggimateReference, gaggiuinoReference, type Sample } from "./reference.ts";

export const FORMATS = ["gaggiuino", "gaggimate", "decent-tcl", "decent-json"] as const;
export type Format = (typeof FORMATS)[number];

export interface Verdict {
  format: Format;
  file: string;
  outcome: "faithful" | "declared-lossy" | "refused" | "silent" | "differs";
  /** Why refused, or what did not map. */
  notes: string[];
  /** Samples compared, samples where the phase differed, worst target difference where it agreed. */
  samples?: number;
  phase_mismatch?: number;
  /** Worst target difference beyond what the comparison allows (0: within it everywhere). */
  worst_target_excess?: number;
  /** Whether the source would have ended the shot where ours ended it. */
  ends_together?: boolean;
  /** How our controller ended the shot (`volume_cap`, `pump_max_time`: its safety limits). */
  stop_reason?: string;
}

/** Agreement bounds: a phase change may land a few samples apart (the source reads its own sensors
 * at its own rate; ours are filtered at 100 Hz), and a target that starts from a measured value
 * starts from a reading a few tenths away. */
const PHASE_SLACK_PER_CHANGE = 4;
const TARGET_TOLERANCE = 0.35;
/** Stops our controller makes whatever a profile says (safety.h, shot.h): counted apart as capped. */
const SAFETY_STOPS = ["pump_max_time", "volume_cap"];

export function reference(format: Format, text: string, samples: Sample[], ours: number[], unmapped: string[]): Expected[] {
  const d: Declared = { below_after_s: unmapped.some((u) => u.includes('"below" exit')) ? 1 : 0 };
  if (format === "gaggiuino") return gaggiuinoReference(JSON.parse(text), samples, ours, d);
  if (format === "gaggimate") return gaggimateReference(JSON.parse(text), samples, ours, d);
  return decentReference(text, samples, ours, d);
}

interface Row extends Sample {
  phase: number;
  target: number;
}

/** A shot's rows, and how the controller ended it. */
interface Shot {
  rows: Row[];
  stop_reason: string;
}

function runShot(sim: string, profile: unknown, dir: string, name: string): Shot {
  const scenario = join(dir, `${name}.json`);
  const trace = join(dir, `${name}.csv`);
  writeFileSync(
    scenario,
    JSON.stringify({
      name,
      machine: "dual_boiler_gear",
      seed: 5,
      duration_s: 1100,
      events: [
        { t_s: 1, do: "power_on" },
        { t_s: 900, do: "shot", dose_g: 18, profile, scale: { model: "decent" } },
      ],
    }),
  );
  const report = JSON.parse(execFileSync(sim, ["run", "--scenario", scenario, "--trace", trace], { encoding: "utf8" })) as {
    shots: { stop_reason: string }[];
  };
  const rows = readFileSync(trace, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => {
      // The controller's own readings, not the plant's truth: both firmwares decide on what they read.
      const [t, ph, target, , , , , , water, p, f, cup] = line.split(",").map(Number);
      return {
        t_s: t ?? 0,
        phase: ph ?? 0,
        target: target ?? 0,
        pressure_bar: p ?? 0,
        flow_ml_s: f ?? 0,
        cup_g: cup ?? 0,
        water_ml: water ?? 0,
      };
    })
    .filter((r) => Number.isFinite(r.target));
  return { rows, stop_reason: report.shots[0]?.stop_reason ?? "none" };
}

/** Compare the controller's run with the source's rules on the same samples. */
export function compare(rows: Row[], expected: Expected[], stopReason = "profile_end") {
  let mismatch = 0;
  let worst = 0;
  let changes = 0;
  for (const [i, r] of rows.entries()) {
    const e = expected[i];
    if (i > 0 && r.phase !== rows[i - 1]?.phase) changes++;
    if (!e || e.phase === null) continue; // the source would have ended the shot; ours ended it at the same stop or sooner
    if (e.phase !== r.phase) mismatch++;
    else worst = Math.max(worst, Math.abs(e.target - r.target) - e.allowance);
  }
  const end = expected.at(-1);
  // Still running when the run ended: agrees if the source would still be running too. Ended by a
  // safety limit of ours (the pump's longest run, the volume cap): not the profile's doing.
  const endsTogether =
    stopReason === "running"
      ? end?.phase !== null
      : SAFETY_STOPS.includes(stopReason) || end === undefined || end.phase === null || end.ends === true;
  return {
    samples: rows.length,
    mismatch,
    worst,
    endsTogether,
    agrees: endsTogether && mismatch <= PHASE_SLACK_PER_CHANGE * (changes + 1) && worst <= TARGET_TOLERANCE,
  };
}

export function checkFile(sim: string, format: Format, path: string, dir: string, importer = importProfile): Verdict {
  const file = path.split("/").at(-1) ?? path;
  const text = readFileSync(path, "utf8");
  let imported: ReturnType<typeof importProfile>;
  try {
    imported = importer(text);
  } catch (e) {
    if (e instanceof ProfileError) return { format, file, outcome: "refused", notes: [e.message] };
    throw e;
  }
  const shot = runShot(sim, imported.result, dir, file.replace(/[^a-zA-Z0-9]+/g, "-"));
  const rows = shot.rows;
  // A volume stop the profile does not have is the controller's cap.
  const stop = shot.stop_reason === "volume" && !imported.result.stops?.volume_ml ? "volume_cap" : shot.stop_reason;
  const c = compare(
    rows,
    reference(
      format,
      text,
      rows,
      rows.map((r) => r.phase),
      imported.unmapped,
    ),
    stop,
  );
  const base = {
    format,
    file,
    notes: imported.unmapped,
    samples: c.samples,
    phase_mismatch: c.mismatch,
    worst_target_excess: Math.round(c.worst * 100) / 100,
    ends_together: c.endsTogether,
    stop_reason: stop,
  };
  if (!c.agrees) return { ...base, outcome: imported.unmapped.length ? "differs" : "silent" };
  return { ...base, outcome: imported.unmapped.length ? "declared-lossy" : "faithful" };
}

/** Every file of the corpus, checked. */
export function checkCorpus(sim: string, corpus: string): Verdict[] {
  const dir = mkdtempSync(join(tmpdir(), "brewos-corpus-"));
  try {
    return FORMATS.flatMap((format) =>
      readdirSync(join(corpus, format))
        .sort()
        .map((f) => checkFile(sim, format, join(corpus, format, f), dir)),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Per format: files, faithful, declared-lossy, refused, silent (and differs: lossy files whose run
 * disagreed beyond what they declared). */
export function corpusTable(verdicts: Verdict[]) {
  return FORMATS.map((format) => {
    const v = verdicts.filter((x) => x.format === format);
    const n = (o: Verdict["outcome"]) => v.filter((x) => x.outcome === o).length;
    const capped = v.filter((x) => SAFETY_STOPS.includes(x.stop_reason ?? "")).length;
    return {
      format,
      files: v.length,
      faithful: n("faithful"),
      declared_lossy: n("declared-lossy"),
      refused: n("refused"),
      silent: n("silent"),
      differs: n("differs"),
      ended_by_safety_cap: capped,
    };
  });
}
