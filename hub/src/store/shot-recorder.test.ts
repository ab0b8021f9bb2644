/**
 * The recorder with the real simulator and SQLite on disk: a shot end to end, and kill -9 of a
 * recording hub process mid-shot.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SIM_BINARY } from "../testing/hub-on-disk.ts";
import { openDatabase } from "./db.ts";
import { ShotStore } from "./shot-store.ts";

const SIM = SIM_BINARY;
const DRIVER = join(import.meta.dir, "testing", "record-shots.ts");

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

async function linesOf(stream: ReadableStream<Uint8Array>, onLine: (l: string) => boolean): Promise<void> {
  const dec = new TextDecoder();
  let buf = "";
  const reader = stream.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error("driver ended early");
    buf += dec.decode(value);
    const parts = buf.split("\n");
    buf = parts.pop() ?? "";
    for (const l of parts) if (onLine(l)) return;
  }
}

describe("shot recorder", () => {
  test("a shot recorded end to end, then kill -9 mid-shot: the database opens clean, the finished shot is whole, the partial one is kept and marked", async () => {
    const dir = mkdtempSync(join(tmpdir(), "brewos-rec-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const db = join(dir, "hub.sqlite");
    const proc = Bun.spawn([process.execPath, DRIVER, db, SIM], { stdout: "pipe", stderr: "inherit" });
    cleanups.push(() => proc.kill("SIGKILL"));
    let recorded = "";
    let recordedSamples = 0;
    let partial = "";
    let checkpointed = 0;
    await linesOf(proc.stdout, (l) => {
      const [what, id, n] = l.split(" ");
      if (what === "RECORDED") {
        recorded = id ?? "";
        recordedSamples = Number(n);
      }
      if (what === "CHECKPOINT" && Number(n) >= 100) {
        partial = id ?? "";
        checkpointed = Number(n);
        return true;
      }
      return false;
    });
    proc.kill("SIGKILL");
    expect(await proc.exited).not.toBe(0);

    // 10 s at 20 Hz telemetry while brewing
    expect(recordedSamples).toBeGreaterThanOrEqual(195);
    expect(recordedSamples).toBeLessThanOrEqual(205);
    const reopened = openDatabase(db); // quick_check runs on open
    const store = new ShotStore(reopened);
    const done = store.get(recorded);
    expect(done).toMatchObject({ status: "complete", stop_reason: "time", duration_ms: 10000, sample_count: recordedSamples });
    const s = store.samples(recorded);
    expect(s).toHaveLength(recordedSamples);
    expect(s.every((x, i) => i === 0 || x.t_ms > (s[i - 1]?.t_ms ?? 0))).toBe(true);
    // the samples are the shot the controller summarised (its peak is taken at 100 Hz, telemetry at 20 Hz)
    const peak = Math.max(...s.map((x) => x.pressure_mbar)) / 1000;
    expect(peak).toBeLessThanOrEqual(done?.max_pressure_bar ?? -1);
    expect(peak).toBeGreaterThan((done?.max_pressure_bar ?? 0) - 0.3);
    expect(s.at(-1)?.volume_ul).toBeGreaterThan(10000);

    expect(store.get(partial)?.status).toBe("recording");
    expect(store.markInterrupted()).toBe(1); // what the hub does when it starts again
    const cut = store.get(partial);
    expect(cut?.status).toBe("interrupted");
    expect(cut?.sample_count).toBeGreaterThanOrEqual(checkpointed);
    expect(store.samples(partial)).toHaveLength(cut?.sample_count ?? -1);
    reopened.close();
  }, 90000);
});

/** A recorder on a fresh on-disk store, fed hand-made controller messages; what it recorded. */
async function recorderOnDisk() {
  const { ShotRecorder } = await import("./shot-recorder.ts");
  const { TelemetryFlags } = await import("@brewos/protocol/uart");
  type Msg = Parameters<InstanceType<typeof ShotRecorder>["handle"]>[0];
  const dir = mkdtempSync(join(tmpdir(), "brewos-recorder-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const db = openDatabase(join(dir, "hub.sqlite"));
  cleanups.push(() => db.close());
  const store = new ShotStore(db);
  const recorder = new ShotRecorder({ store, checkpointMs: 60_000 });
  cleanups.push(() => recorder.stop());
  const recorded: string[] = [];
  recorder.onRecorded((r) => recorded.push(r.id));
  const send = (m: Record<string, unknown>) => recorder.handle(m as unknown as Msg);
  /** A telemetry frame `i` samples into a shot (50 ms apart), brewing or not. */
  const telemetry = (i: number, brewing = true) =>
    send({
      type: "telemetry",
      flags: brewing ? TelemetryFlags.brewing : 0,
      shot_time_ms: i * 50,
      brew_temp_cdeg: 9300,
      group_temp_cdeg: 9100,
      pressure_mbar: 9000,
      pump_flow_ul_s: 2000,
      pumped_volume_ul: i * 100,
      pump_power_pmil: 1000,
      phase_index: 0,
    });
  return { store, recorder, recorded, send, telemetry };
}

describe("a shot whose end message is lost on the link", () => {
  test("is closed from telemetry after 10 idle frames, complete, flagged end_lost, with its samples and summary", async () => {
    const { store, recorded, send, telemetry } = await recorderOnDisk();
    send({ type: "shot_started", shot_token: 5, source: 0, profile_slot: 0, uptime_ms: 1000 });
    for (let i = 1; i <= 40; i++) telemetry(i);
    for (let i = 0; i < 9; i++) telemetry(40, false);
    expect(recorded).toHaveLength(0); // not yet: a frame or two without the flag is noise
    telemetry(40, false);
    expect(recorded).toHaveLength(1);
    const shot = store.get(recorded[0] as string);
    expect(shot).toMatchObject({
      status: "complete",
      end_flags: ["end_lost"],
      duration_ms: 2000,
      volume_ml: 4,
      max_pressure_bar: 9,
      sample_count: 40,
    });
  });
});

describe("a shot whose start message is lost on the link", () => {
  test("is recorded from its brewing telemetry (after 5 frames), its token and summary from shot_ended, flagged start_lost", async () => {
    const { store, recorder, recorded, send, telemetry } = await recorderOnDisk();
    for (let i = 1; i <= 4; i++) telemetry(i);
    expect(recorder.recordingId).toBeNull();
    for (let i = 5; i <= 30; i++) telemetry(i);
    expect(recorder.recordingId).not.toBeNull();
    send({
      type: "shot_ended",
      shot_token: 9,
      duration_ms: 1500,
      stop_reason: 2,
      flags: 0,
      pumped_volume_ul: 3000,
      last_weight_dg: 0,
      max_pressure_mbar: 9000,
      mean_brew_temp_cdeg: 9300,
    });
    expect(recorded).toHaveLength(1);
    expect(store.get(recorded[0] as string)).toMatchObject({
      status: "complete",
      shot_token: 9,
      end_flags: ["start_lost"],
      duration_ms: 1500,
      sample_count: 26,
    });
  });
});
