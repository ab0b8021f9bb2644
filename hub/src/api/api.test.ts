/**
 * The hub end to end over HTTP and WebSocket on 127.0.0.1: real simulator (fast), SQLite on disk.
 * Power on to ready through /ws, a shot recorded and exported, bad input rejected with reasons.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Hub } from "../hub.ts";
import type { MachineSnapshot } from "../machine/machine-state.ts";
import { hubOnSim } from "../testing/hub-on-disk.ts";
import { visualizerView } from "../testing/visualizer-check.ts";

const SPEED = 50;

let hub: Hub;
let base = "";
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ hub, base, stop } = await hubOnSim("dual_boiler", { speed: SPEED }));
});

afterAll(() => stop());

/** A /ws client that keeps every message and a snapshot rebuilt from deltas. */
class Client {
  readonly got: Record<string, unknown>[] = [];
  state: MachineSnapshot | null = null;
  gaps = 0;
  private ws: WebSocket;
  readonly opened: Promise<void>;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.opened = new Promise((resolve) => this.ws.addEventListener("open", () => resolve()));
    this.ws.addEventListener("message", (e) => {
      const m = JSON.parse(String(e.data)) as Record<string, unknown>;
      this.got.push(m);
      if (m.type === "snapshot") this.state = m.state as MachineSnapshot;
      if (m.type === "delta" && this.state) {
        const from = m.from_seq as number;
        const seq = m.seq as number;
        if (from > this.state.seq + 1) this.gaps++;
        if (seq > this.state.seq) Object.assign(this.state, m.changes, { seq });
      }
    });
  }

  sendRaw(text: string): void {
    this.ws.send(text);
  }

  async until<T>(what: string, pick: (m: Record<string, unknown>) => T | undefined, ms = 20000, from = 0): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      for (const m of this.got.slice(from)) {
        const v = pick(m);
        if (v !== undefined) return v;
      }
      if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms`);
      await Bun.sleep(10);
    }
  }

  async command(id: string, command: unknown): Promise<Record<string, unknown>> {
    const from = this.got.length;
    this.ws.send(JSON.stringify({ type: "command", id, command }));
    return this.until(`result ${id}`, (m) => (m.type === "result" && m.id === id ? m : undefined), 10000, from);
  }

  close(): void {
    this.ws.close();
  }
}

describe("hub API on the simulator", () => {
  test("power on to ready over /ws, a shot recorded end to end, exported three ways", async () => {
    // The hub's picture at every seq, to compare the client's rebuilt copy with exactly.
    const history = new Map<number, MachineSnapshot>();
    const unwatch = hub.model.onDelta((d) => history.set(d.seq, hub.model.snapshot()));
    const c = new Client(`${base.replace("http", "ws")}/ws`);
    await c.opened;
    await c.until("snapshot", (m) => (m.type === "snapshot" ? m : undefined));
    expect(c.state?.mode).toBe("standby");
    expect((await c.command("1", { type: "set_mode", mode: "brew" })).ok).toBe(true);
    const deadline = Date.now() + 30000;
    while (!c.state?.ready && Date.now() < deadline) await Bun.sleep(20);
    expect(c.state?.ready).toBe(true);
    expect(c.state?.mode).toBe("brew"); // the mode chosen reaches every app through the deltas
    expect(c.state?.brew_c).toBeGreaterThan(92);
    expect(c.gaps).toBe(0);
    const mine = structuredClone(c.state as MachineSnapshot);
    unwatch();
    expect(history.get(mine.seq)).toEqual(mine); // deltas rebuild the hub's picture at that seq exactly

    // Idle: at most 2 deltas a second.
    const idleFrom = c.got.length;
    await Bun.sleep(2000);
    const idleDeltas = c.got.slice(idleFrom).filter((m) => m.type === "delta").length;
    expect(idleDeltas).toBeLessThanOrEqual(5);

    const started = await c.command("2", { type: "start_shot", dose_g: 18, stop_time_s: 25 });
    expect(started).toMatchObject({ ok: true });
    const shot = await c.until(
      "shot_recorded",
      (m) => (m.type === "shot_recorded" ? (m.shot as Record<string, unknown>) : undefined),
      20000,
    );
    expect(shot).toMatchObject({ status: "complete", stop_reason: "time", duration_ms: 25000, dose_g: 18, shot_token: started.shot_token });
    expect(shot.sample_count as number).toBeGreaterThanOrEqual(490);
    c.close();

    const stats = (await (await fetch(`${base}/api/statistics`)).json()) as {
      shots: { total: number; today: number };
      energy: { today_wh: number };
    };
    expect(stats.shots).toMatchObject({ total: 1, today: 1 }); // fed by the recorder, not a counter of its own
    expect(stats.energy.today_wh).toBeGreaterThan(10); // a cold dual boiler heated to ready
    const maint = await fetch(`${base}/api/maintenance`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "backflush" }),
    });
    expect(((await maint.json()) as { maintenance: { kind: string; shots_since: number }[] }).maintenance[0]).toMatchObject({
      kind: "backflush",
      shots_since: 0,
    });
    expect(
      (
        await fetch(`${base}/api/maintenance`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ kind: "polish" }),
        })
      ).status,
    ).toBe(400);

    const list = (await (await fetch(`${base}/api/shots?limit=10`)).json()) as { shots: { id: string }[] };
    expect(list.shots[0]?.id).toBe(shot.id as string);
    const csv = await (await fetch(`${base}/api/shots/${shot.id}/export?format=csv`)).text();
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe("t_s,brew_c,group_c,pressure_bar,flow_ml_s,volume_ml,pump_pct,weight_g,phase");
    expect(lines).toHaveLength((shot.sample_count as number) + 1);
    const vis = (await (await fetch(`${base}/api/shots/${shot.id}/export?format=visualizer`)).json()) as Record<string, unknown>;
    expect(vis.version).toBe("2");
    expect((vis.elapsed as number[]).length).toBe(shot.sample_count as number);
    expect(Math.max(...(vis.pressure as { pressure: number[] }).pressure)).toBeGreaterThan(5);
    const own = (await (await fetch(`${base}/api/shots/${shot.id}/export`)).json()) as { shot: { id: string }; points: unknown[] };
    expect(own.shot.id).toBe(shot.id as string);
    expect(own.points).toHaveLength(shot.sample_count as number);
    // No top-level `samples`: Visualizer would route it to its GaggiMate parser.
    expect(visualizerView(JSON.stringify(own)).parser).toBe("DecentJson");
    for (const [format, parser] of [
      ["visualizer-csv", "SepCsv"],
      ["beanconqueror", "Beanconqueror"],
    ] as const) {
      const text = await (await fetch(`${base}/api/shots/${shot.id}/export?format=${format}`)).text();
      const seen = visualizerView(text);
      console.log(`visualizer checker (${format}): ${JSON.stringify({ ...seen, settings: Object.keys(seen.settings) })}`);
      expect(seen.parser).toBe(parser);
      expect(seen.problems).toEqual([]);
      expect(seen.series.espresso_pressure).toBeGreaterThan(10);
    }
  }, 90000);

  test("a shot's notes, rating, beans and grind are edited with PATCH; bad edits are refused field by field", async () => {
    const list = (await (await fetch(`${base}/api/shots?limit=1`)).json()) as { shots: { id: string; server_seq: number }[] };
    const shot = list.shots[0] as { id: string; server_seq: number };
    const patch = (id: string, body: string) =>
      fetch(`${base}/api/shots/${id}`, { method: "PATCH", headers: { "content-type": "application/json" }, body });
    const watcher = new Client(`${base.replace("http", "ws")}/ws`); // another phone, watching
    await watcher.opened;
    const ok = await patch(shot.id, JSON.stringify({ notes: "sweet, a little sour", rating: 4, beans: "Kenya AA" }));
    expect(ok.status).toBe(200);
    const edited = (await ok.json()) as Record<string, unknown>;
    expect(edited).toMatchObject({ notes: "sweet, a little sour", rating: 4, beans: "Kenya AA", grind: null });
    expect(edited.server_seq as number).toBeGreaterThan(shot.server_seq); // a change the sync cursor will see
    expect(await (await fetch(`${base}/api/shots/${shot.id}`)).json()).toMatchObject({ notes: "sweet, a little sour" });
    const pushed = await watcher.until("shot_updated", (m) =>
      m.type === "shot_updated" ? (m.shot as Record<string, unknown>) : undefined,
    );
    expect(pushed).toMatchObject({ id: shot.id, notes: "sweet, a little sour", rating: 4 });
    watcher.close();
    const cleared = (await (await patch(shot.id, JSON.stringify({ rating: null }))).json()) as Record<string, unknown>;
    expect(cleared).toMatchObject({ rating: null, notes: "sweet, a little sour" });
    const weighed = (await (await patch(shot.id, JSON.stringify({ dose_g: 18.2, yield_g: 39.5 }))).json()) as Record<string, unknown>;
    expect(weighed).toMatchObject({ dose_g: 18.2, yield_g: 39.5 }); // weighed on a kitchen scale
    const visText = await (await fetch(`${base}/api/shots/${shot.id}/export?format=visualizer`)).text();
    const vis = JSON.parse(visText) as { meta: { in: number; out: number } };
    expect(vis.meta).toMatchObject({ in: 18.2, out: 39.5 });
    // What visualizer.coffee's own parser rules make of it: every setting and series, nothing lost.
    const seen = visualizerView(visText);
    console.log(`visualizer checker: ${JSON.stringify({ ...seen, settings: Object.keys(seen.settings) })}`);
    expect(seen.parser).toBe("DecentJson");
    expect(seen.problems).toEqual([]);
    expect(seen.settings).toMatchObject({
      bean_weight: "18.2",
      drink_weight: "39.5",
      bean_brand: "Kenya AA",
      espresso_notes: "sweet, a little sour",
      espresso_enjoyment: "0",
    });
    for (const s of ["espresso_pressure", "espresso_flow", "espresso_weight", "espresso_water_dispensed", "espresso_state_change"])
      expect(seen.series[s]).toBe(seen.samples);
    const water = (JSON.parse(visText) as { totals: { water_dispensed: number[] } }).totals.water_dispensed;
    expect(Math.max(...water)).toBeLessThan(20); // tens of ml, as de1app writes it (a shot is under 200 ml)
    expect((await patch(shot.id, JSON.stringify({ yield_g: -3 }))).status).toBe(400);

    const bad = await patch(shot.id, JSON.stringify({ rating: 9, colour: "red" }));
    expect(bad.status).toBe(400);
    const err = ((await bad.json()) as { error: { code: string; issues: { path: string }[] } }).error;
    expect(err.code).toBe("invalid_annotations");
    expect(err.issues.map((i) => i.path).sort()).toEqual(["(annotations)", "rating"]);
    expect((await patch(shot.id, "{nope")).status).toBe(400);
    expect((await patch("01890000-0000-7000-8000-000000000000", "{}")).status).toBe(404);
    expect(await (await fetch(`${base}/api/shots/${shot.id}`)).json()).toMatchObject({ rating: null, notes: "sweet, a little sour" });
  });

  test("bad input over /ws is answered with what is wrong, and the socket stays open", async () => {
    const c = new Client(`${base.replace("http", "ws")}/ws`);
    await c.opened;
    c.sendRaw("{not json");
    expect(await c.until("error", (m) => (m.type === "error" ? m.code : undefined))).toBe("invalid_json");
    const tooHot = await c.command("a", { type: "set_setpoints", brew_c: 130 });
    expect(tooHot).toMatchObject({ ok: false, code: "invalid_command" });
    expect(String(tooHot.message)).toContain("brew_c");
    const unknown = await c.command("b", { type: "make_tea" });
    expect(unknown).toMatchObject({ ok: false, code: "invalid_command" });
    const extra = await c.command("c", { type: "set_mode", mode: "brew", colour: "red" });
    expect(extra).toMatchObject({ ok: false, code: "invalid_command" });
    expect((await c.command("d", { type: "set_eco", on: false })).ok).toBe(true); // still served
    // What the owner chose is in the state, so a reloaded app shows it (not a default).
    expect((await c.command("e", { type: "set_heating_strategy", strategy: "parallel" })).ok).toBe(true);
    expect((await c.command("f", { type: "set_setpoints", brew_c: 94.5 })).ok).toBe(true);
    expect(hub.model.snapshot()).toMatchObject({ heating_strategy: "parallel", brew_target_c: 94.5, eco: false });
    c.close();
  });

  test("bad input over REST: status codes and reasons", async () => {
    const post = (body: string) => fetch(`${base}/api/commands`, { method: "POST", body, headers: { "content-type": "application/json" } });
    const notJson = await post("{");
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { code: string } }).error.code).toBe("invalid_json");
    const bad = await post(JSON.stringify({ type: "start_shot", target_g: -3 }));
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { issues: { path: string }[] } };
    expect(body.error.issues[0]?.path).toBe("target_g");
    expect((await fetch(`${base}/api/shots?limit=9999`)).status).toBe(400);
    expect((await fetch(`${base}/api/shots?before=nope`)).status).toBe(400);
    expect((await fetch(`${base}/api/shots/0190a0a0-0000-7000-8000-000000000000`)).status).toBe(404);
    expect((await fetch(`${base}/api/shots/x/export?format=pdf`)).status).toBe(400);
    expect((await fetch(`${base}/api/nothing-here`)).status).toBe(404);
    // This machine's pump is on/off: a pressure profile is refused by the controller, with the reason.
    const profile = await fetch(`${base}/api/profiles/1`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ bundled: "classic-9bar" }),
    });
    expect(profile.status).toBe(409);
    expect(((await profile.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "unsupported" });
    // ... and the state says so, so the app can say it before anyone presses Brew.
    expect(hub.model.snapshot().machine).toMatchObject({ type: "dual_boiler", pump: "on_off" });
    const health = (await (await fetch(`${base}/api/health`)).json()) as { status: string; link: { state: string; crc_errors: number } };
    expect(health).toMatchObject({ status: "ok", link: { state: "up", crc_errors: 0 } });
  });
});
