/**
 * Backup export and import over REST between two hubs with SQLite on disk (no controller needed:
 * their links point at a closed port). Broken uploads change nothing; secrets never travel.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { asVersion1, formatBackup, parseBackup } from "../testing/backup-file.ts";
import { hubOnDisk } from "../testing/hub-on-disk.ts";
import type { Sample } from "./samples-codec.ts";

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const s of stops) await s();
});

async function hub() {
  const h = await hubOnDisk();
  stops.push(h.stop);
  return h;
}

const samples = (n: number): Sample[] =>
  Array.from({ length: n }, (_, k) => ({
    t_ms: k * 50,
    brew_cdeg: 9300,
    group_cdeg: 9100,
    pressure_mbar: 9000 - k,
    flow_ul_s: 2000,
    volume_ul: k * 100,
    pump_pmil: 1000,
    weight_dg: k,
    phase: 0,
  }));

describe("backup", () => {
  test("exported from one hub, imported into another; broken uploads change nothing; secrets stay home", async () => {
    const a = await hub();
    const summary = {
      duration_ms: 28000,
      stop_reason: "weight",
      end_flags: [],
      volume_ml: 45,
      final_weight_g: 36,
      max_pressure_bar: 9,
      mean_brew_c: 93,
    };
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = a.hub.shots.begin({
        started_at_ms: Date.now() - (3 - i) * 60_000,
        shot_token: i,
        source: "command",
        profile_slot: 0,
        profile_json: null,
        dose_g: 18,
        target_g: 36,
      });
      a.hub.shots.appendSamples(id, samples(20));
      a.hub.shots.finish(id, samples(5), summary);
      ids.push(id);
    }
    a.hub.statistics.recordMaintenance("descale");
    const mine = {
      id: "mine",
      name: "Mine",
      phases: [{ name: "p", mode: "pressure", from: null, to: 9, curve: "instant", over_s: 0, exit: { time_s: 30 } }],
    };
    expect(a.hub.profileLibrary.put("mine", mine).ok).toBe(true);
    const set = await fetch(`${a.base}/api/settings`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ hub: { machine_name: "Bench", mqtt: { username: "brewos", password: "s3cret-pass" } } }),
    });
    expect(set.status).toBe(200);

    const text = await (await fetch(`${a.base}/api/backup`)).text();
    expect(text).not.toContain("s3cret-pass");
    const backup = parseBackup(text);
    expect(backup.header).toMatchObject({ format: "brewos-hub-backup", version: 2 });
    expect(backup.shots.map((s) => s.id)).toEqual(ids);
    expect(backup.end).toEqual({ shots: 3 });

    const b = await hub();
    const post = (body: string) => fetch(`${b.base}/api/backup`, { method: "POST", headers: { "content-type": "application/json" }, body });
    const refused = async (body: string) => {
      const r = await post(body);
      const e = ((await r.json()) as { error: { code: string; message: string } }).error;
      return `${r.status} ${e.code} ${e.message}`;
    };
    expect(await refused(text.slice(0, text.length / 2))).toStartWith("400 invalid_backup");
    expect(await refused(formatBackup({ ...backup, end: null }))).toContain("cut short");
    expect(await refused(formatBackup({ ...backup, end: { shots: 4 } }))).toContain("the end line counts 4");
    expect(await refused(formatBackup({ ...backup, header: { ...backup.header, version: 99 } }))).toContain("not 99");
    const badProfile = structuredClone(backup);
    (badProfile.header.profiles as { json: string }[])[0] = {
      ...(badProfile.header.profiles as { json: string }[])[0],
      json: JSON.stringify({ ...mine, phases: [] }),
    } as { json: string };
    expect(await refused(formatBackup(badProfile))).toStartWith("400 invalid_backup line 1: profile mine");
    const bad = structuredClone(backup);
    (bad.shots[2] as { samples: string[] }).samples[0] = Buffer.from([1, 9, 0, 0]).toString("base64");
    const badBlob = await refused(formatBackup(bad));
    expect(badBlob).toStartWith("400 invalid_backup line 4");
    expect(badBlob).toContain(ids[2] as string);
    expect(b.hub.shots.list(10)).toHaveLength(0); // nothing of the broken uploads was kept

    const ok = await post(text);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, shots_added: 3, shots_already_present: 0, settings_restored: true });
    for (const id of ids) expect(b.hub.shots.samples(id)).toEqual(a.hub.shots.samples(id));
    expect(b.hub.settings.hubSettings()).toMatchObject({ machine_name: "Bench", mqtt: { password: "" } });
    expect(b.hub.statistics.maintenance().find((m) => m.kind === "descale")?.last_done_at_ms).toBeGreaterThan(0);
    expect(b.hub.profileLibrary.get("mine")).toMatchObject({ name: "Mine" });
    const again = await post(text);
    expect(await again.json()).toMatchObject({ shots_added: 0, shots_already_present: 3 });
    // A version-1 backup (one JSON document, as older hubs wrote) is still read.
    const c = await hub();
    const v1 = await fetch(`${c.base}/api/backup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(asVersion1(backup)),
    });
    expect(await v1.json()).toMatchObject({ ok: true, shots_added: 3 });
    for (const id of ids) expect(c.hub.shots.samples(id)).toEqual(a.hub.shots.samples(id));
    // A slow upload (a pause longer than the server's idle timeout) still completes: backups lift it.
    const slow = await hubOnDisk({ idleTimeoutS: 1 });
    stops.push(slow.stop);
    const half = text.indexOf("\n") + 1;
    const body = new ReadableStream<Uint8Array>({
      async start(ctl) {
        ctl.enqueue(new TextEncoder().encode(text.slice(0, half)));
        await Bun.sleep(2500);
        ctl.enqueue(new TextEncoder().encode(text.slice(half)));
        ctl.close();
      },
    });
    const r = await fetch(`${slow.base}/api/backup`, { method: "POST", headers: { "content-type": "application/x-ndjson" }, body });
    expect(await r.json()).toMatchObject({ ok: true, shots_added: 3 });
  }, 30000);
});
