/**
 * Sync over the hub's real /ws (SQLite on disk, no machine needed): two installs say hello, one
 * pushes an edit and a manual shot, the other is poked and pulls them; bad messages are answered
 * with sync_error and change nothing.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { formatHlc, uuidv7 } from "@brewos/protocol/sync";
import { hubOnDisk } from "../testing/hub-on-disk.ts";
import { recordShot } from "../testing/shots.ts";

let h: Awaited<ReturnType<typeof hubOnDisk>>;
beforeAll(async () => {
  h = await hubOnDisk();
});
afterAll(() => h.stop());

class Socket {
  readonly got: Record<string, unknown>[] = [];
  readonly ws: WebSocket;
  readonly opened: Promise<unknown>;
  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.opened = new Promise((r) => this.ws.addEventListener("open", r));
    this.ws.addEventListener("message", (e) => this.got.push(JSON.parse(String(e.data)) as Record<string, unknown>));
  }
  async ask(body: unknown, type: string): Promise<Record<string, unknown>> {
    const from = this.got.length;
    this.ws.send(JSON.stringify(body));
    return this.until(type, from);
  }
  async until(type: string, from = 0): Promise<Record<string, unknown>> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const m = this.got.slice(from).find((x) => x.type === type);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`no ${type}; got ${JSON.stringify(this.got.slice(from))}`);
      await Bun.sleep(5);
    }
  }
}

test("hello, push, poke, pull over /ws; bad messages get sync_error", async () => {
  const id = recordShot(h.hub.shots, { started_at_ms: Date.now() - 60_000, shot_token: 1 });
  const url = `${h.base.replace("http", "ws")}/ws`;
  const a = new Socket(url);
  const b = new Socket(url);
  await Promise.all([a.opened, b.opened]);
  expect(await a.ask({ type: "sync_push", v: 1, mutations: [] }, "sync_error")).toMatchObject({ code: "invalid_sync_message" });
  expect(await a.ask({ type: "sync_pull", v: 1, since: 0, limit: 10 }, "sync_error")).toMatchObject({ code: "no_hello" });
  expect(
    await a.ask({ type: "sync_hello", v: 1, node_id: "1111111111111111", schema_version: 1, cursor: 0 }, "sync_welcome"),
  ).toMatchObject({ hub_id: h.hub.deviceId });
  expect(await b.ask({ type: "sync_hello", v: 1, node_id: "2222222222222222", schema_version: 1, cursor: 0 }, "sync_welcome")).toBeTruthy();
  expect(await a.ask({ type: "sync_hello", v: 1, node_id: "1111111111111111", schema_version: 99, cursor: 0 }, "sync_reset")).toMatchObject(
    { reason: "schema" },
  );

  const clock = formatHlc({ millis: Date.now(), counter: 0, node: "1111111111111111" });
  const manual = uuidv7();
  const pokeFrom = b.got.length;
  const ack = await a.ask(
    {
      type: "sync_push",
      v: 1,
      mutations: [
        { mutation_id: 1, shot_id: id, fields: { notes: ["syrupy", clock], rating: [5, clock] } },
        {
          mutation_id: 2,
          shot_id: manual,
          fields: { notes: ["café, borrowed scale", clock] },
          create: { started_at_ms: Date.now() - 3_600_000, duration_ms: 30000 },
        },
        { mutation_id: 3, shot_id: uuidv7(), fields: { notes: ["no such shot", clock] } },
      ],
    },
    "sync_ack",
  );
  expect(ack).toMatchObject({ last_mutation_id: 3, rejected: [{ mutation_id: 3, code: "not_found" }] });
  await b.until("sync_poke", pokeFrom);
  const changes = (await b.ask({ type: "sync_pull", v: 1, since: 0, limit: 100 }, "sync_changes")) as {
    rows: { id: string; source: string; values: Record<string, unknown> }[];
    has_more: boolean;
  };
  expect(changes.has_more).toBe(false);
  expect(changes.rows.find((r) => r.id === id)?.values).toMatchObject({ notes: "syrupy", rating: 5 });
  expect(changes.rows.find((r) => r.id === manual)).toMatchObject({ source: "manual", values: { notes: "café, borrowed scale" } });
  // The hub's own list shows both, the app's REST view of the same rows.
  expect(
    h.hub.shots
      .list(10)
      .map((s) => s.id)
      .sort(),
  ).toEqual([id, manual].sort());
  const bad = await a.ask(
    { type: "sync_push", v: 1, mutations: [{ mutation_id: 4, shot_id: id, fields: { rating: [9, clock] } }] },
    "sync_error",
  );
  expect(bad.message).toContain("rating");
  expect(h.hub.shots.get(id)?.rating).toBe(5);
  a.ws.close();
  b.ws.close();
  const deadline = Date.now() + 2000;
  while (h.server.fanout.clientCount > 0 && Date.now() < deadline) await Bun.sleep(10);
  expect(h.server.fanout.clientCount).toBe(0); // closed sockets are forgotten
}, 20000);

test("a hub that starts collects tombstones older than 90 days; phones behind them are told to reset", async () => {
  const { mkdtempSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "brewos-gc-"));
  try {
    const first = await hubOnDisk({ dataDir: dir });
    const id = recordShot(first.hub.shots, { started_at_ms: Date.now() - 200 * 86_400_000, shot_token: 9 });
    // Deleted by a phone 100 days ago.
    const old = formatHlc({ millis: Date.now() - 100 * 86_400_000, counter: 0, node: "1111111111111111" });
    first.hub.sync.push("1111111111111111", [{ mutation_id: 1, shot_id: id, fields: { deleted: [true, old] } }]);
    const seqAtDelete = first.hub.sync.seq();
    await first.stop();
    const again = await hubOnDisk({ dataDir: dir });
    expect(again.hub.db.query("SELECT COUNT(*) AS n FROM shots").get()).toEqual({ n: 0 });
    expect(again.hub.sync.horizon()).toBe(seqAtDelete);
    expect(again.hub.sync.hello("2222222222222222", 1, 1)).toMatchObject({ type: "sync_reset", reason: "behind_horizon" });
    await again.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a hand-logged shot timed with a phone's scale keeps its weight curve: synced to the other phone, in the backup and back", async () => {
  const url = `${h.base.replace("http", "ws")}/ws`;
  const a = new Socket(url);
  const b = new Socket(url);
  await Promise.all([a.opened, b.opened]);
  await a.ask({ type: "sync_hello", v: 1, node_id: "3333333333333333", schema_version: 1, cursor: 0 }, "sync_welcome");
  await b.ask({ type: "sync_hello", v: 1, node_id: "4444444444444444", schema_version: 1, cursor: 0 }, "sync_welcome");
  const clock = formatHlc({ millis: Date.now(), counter: 0, node: "3333333333333333" });
  const curve = { t_s: [0, 0.1, 0.2, 12.5, 27.9], g: [0, 0, 0.4, 14.2, 36.1] };
  const timed = uuidv7();
  const started_at_ms = Date.now() - 120_000;
  const push = (weight_curve: unknown, answer: string) =>
    a.ask(
      {
        type: "sync_push",
        v: 1,
        mutations: [
          {
            mutation_id: 1,
            shot_id: timed,
            fields: { yield_g: [36.1, clock] },
            create: { started_at_ms, duration_ms: 27900, weight_curve },
          },
        ],
      },
      answer,
    );
  // A curve that goes back in time is refused and nothing is stored.
  const bad = await push({ t_s: [0, 2, 1], g: [0, 1, 2] }, "sync_error");
  expect(bad.message).toContain("back in time");
  expect(h.hub.shots.get(timed)).toBeNull();
  const ack = await push(curve, "sync_ack");
  expect(ack).toMatchObject({ last_mutation_id: 1, rejected: [] });
  const changes = (await b.ask({ type: "sync_pull", v: 1, since: 0, limit: 100 }, "sync_changes")) as {
    rows: { id: string; weight_curve?: unknown }[];
  };
  expect(changes.rows.find((r) => r.id === timed)?.weight_curve).toEqual(curve);
  expect(changes.rows.filter((r) => r.id !== timed).every((r) => r.weight_curve === undefined)).toBe(true);

  // A backup carries it; a fresh hub restoring that backup serves the same curve.
  const backup = await (await fetch(`${h.base}/api/backup`)).text();
  const fresh = await hubOnDisk();
  try {
    const r = await fetch(`${fresh.base}/api/backup`, {
      method: "POST",
      headers: { "content-type": "application/x-ndjson" },
      body: backup,
    });
    expect(r.status).toBe(200);
    const pulled = fresh.hub.sync.pull(0, 100) as { rows: { id: string; weight_curve?: unknown }[] };
    expect(pulled.rows.find((x) => x.id === timed)?.weight_curve).toEqual(curve);
  } finally {
    await fresh.stop();
  }
  a.ws.close();
  b.ws.close();
}, 20000);
