/**
 * Every parser fed from outside the hub, under fast-check with a fixed budget (BREWOS_FUZZ_RUNS,
 * default 300 per property): REST bodies (commands, settings), backup shots and whole streamed
 * backups, sync messages, MQTT command payloads, BLE scale notifications, UART byte streams and
 * shot profiles — each answers a value or a typed refusal, never an exception; and a live hub fed
 * random /ws frames keeps its socket and its state. Findings become cases in the tests beside the
 * code they broke (bad-input.test.ts). The C decoders have their own libFuzzer runs (npm run fuzz).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDecentCommand, parseDecentNotification } from "@brewos/protocol/ble";
import { ProfileError, parseProfile } from "@brewos/protocol/profile";
import { SyncClientMessage } from "@brewos/protocol/sync/messages";
import { HLC_LENGTH } from "@brewos/protocol/sync/src/hlc.ts";
import { UartStreamDecoder } from "@brewos/protocol/uart/src/stream-decoder.ts";
import fc from "fast-check";
import { ENTITIES } from "../mqtt/entities.ts";
import { Settings } from "../settings/settings.ts";
import { checkShot } from "../store/backup.ts";
import { importBackupStream } from "../store/backup-stream.ts";
import { openDatabase } from "../store/db.ts";
import { hubOnDisk } from "../testing/hub-on-disk.ts";
import { openSocket } from "../testing/paired-app.ts";
import { parseCommand } from "./commands.ts";

const RUNS = Number(process.env.BREWOS_FUZZ_RUNS ?? 300);
const json = fc.jsonValue({ maxDepth: 4 });
/** JSON shaped like the real thing, with random keys and values mixed in. */
const near = (keys: string[]) =>
  fc.dictionary(
    fc.constantFrom(...keys, "x", "__proto__", "constructor"),
    fc.oneof(json, fc.string(), fc.integer(), fc.double(), fc.constant(null)),
    {
      maxKeys: 8,
    },
  );

describe("parsers fed from outside never throw", () => {
  test("REST/WS commands and settings patches", () => {
    fc.assert(
      fc.property(
        fc.oneof(json, near(["type", "mode", "brew_c", "steam_c", "profile_slot", "dose_g", "stop_time_s", "target_g", "require_scale"])),
        (v) => {
          const r = parseCommand(v);
          expect(typeof r.ok).toBe("boolean");
        },
      ),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          json,
          fc.record({
            hub: near(["machine_name", "retention", "mqtt", "https", "schedules", "auto_off", "open_on_network"]),
            controller: near(["brew_max_cdeg", "eco_timeout_s"]),
          }),
        ),
        (v) => {
          expect(typeof Settings.check(v).ok).toBe("boolean");
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("backup shots, and whole streamed backups (random lines, cut anywhere)", async () => {
    fc.assert(
      fc.property(
        fc.oneof(json, near(["id", "status", "end_flags", "field_clocks", "samples", "sample_count", "notes", "profile_json"])),
        (v) => {
          expect(typeof checkShot(v).ok).toBe("boolean");
        },
      ),
      { numRuns: RUNS },
    );
    const dir = mkdtempSync(join(tmpdir(), "brewos-fuzz-"));
    const db = openDatabase(join(dir, "hub.sqlite"));
    let seq = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof(
              fc.string(),
              json.map((j) => JSON.stringify(j)),
            ),
            { maxLength: 6 },
          ),
          fc.nat(200),
          async (lines, cut) => {
            const text = lines.join("\n").slice(0, cut + 1);
            const r = await importBackupStream(db, new Blob([text]).stream(), {
              bumpSeq: () => ++seq,
              stagingPath: join(dir, "s"),
              maxBytes: 1 << 20,
            });
            expect(r.ok).toBe(false);
          },
        ),
        { numRuns: Math.ceil(RUNS / 3) },
      );
      expect(db.query<{ n: number }, []>("SELECT COUNT(*) AS n FROM shots").get()?.n).toBe(0);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("sync messages, MQTT command payloads, BLE notifications, UART byte streams, profiles", () => {
    fc.assert(
      fc.property(fc.oneof(json, near(["type", "v", "node_id", "schema_version", "cursor", "mutations", "since", "limit"])), (v) => {
        expect(typeof SyncClientMessage.safeParse(v).success).toBe("boolean");
      }),
      { numRuns: RUNS },
    );
    const commands = ENTITIES.filter((e) => e.command);
    fc.assert(
      fc.property(
        fc.constantFrom(...commands),
        fc.oneof(fc.string(), fc.constantFrom("ON", "OFF", "PRESS", "93.5", "-1", "NaN", "1e400", "")),
        (e, payload) => {
          e.command?.(payload, { profiles: ["a", "b"] });
        },
      ),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        parseDecentNotification(b);
        parseDecentCommand(b);
      }),
      { numRuns: RUNS },
    );
    const decoder = new UartStreamDecoder();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
        for (const r of decoder.push(b)) expect(typeof r).toBe("object");
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.oneof(json, near(["id", "name", "phases", "version", "notes"])), (v) => {
        try {
          parseProfile(v);
        } catch (e) {
          expect(e).toBeInstanceOf(ProfileError);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe("a live hub fed random /ws frames", () => {
  let h: Awaited<ReturnType<typeof hubOnDisk>>;
  beforeAll(async () => {
    h = await hubOnDisk();
  });
  afterAll(() => h?.stop());

  test("sync pushes that pass the schema (any clocks, any shot ids, manual shots) are applied or rejected, never thrown", () => {
    const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
    const uuid = fc
      .tuple(hex(8), hex(4), hex(3), fc.constantFrom("8", "9", "a", "b"), hex(3), hex(12))
      .map(([a, b, c, v, d, e]) => `${a}-${b}-7${c}-${v}${d}-${e}`);
    const clock = fc.oneof(
      fc.string({ minLength: HLC_LENGTH, maxLength: HLC_LENGTH }),
      fc
        .date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true })
        .map((d) => `${d.toISOString()}-0000-${"1".repeat(16)}`.slice(0, HLC_LENGTH).padEnd(HLC_LENGTH, "0")),
    );
    const edit = <T>(v: fc.Arbitrary<T>) => fc.tuple(v, clock);
    const mutation = fc.record(
      {
        mutation_id: fc.integer({ min: 1, max: 1e9 }),
        shot_id: uuid,
        fields: fc.record(
          {
            notes: edit(fc.option(fc.string({ maxLength: 50 }))),
            rating: edit(fc.option(fc.integer({ min: 1, max: 5 }))),
            deleted: edit(fc.boolean()),
          },
          { requiredKeys: [] },
        ),
        create: fc.record({ started_at_ms: fc.nat(), duration_ms: fc.option(fc.integer({ min: 0, max: 600_000 })) }),
      },
      { requiredKeys: ["mutation_id", "shot_id", "fields"] },
    );
    let node = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), (mutations) => {
        const m = SyncClientMessage.safeParse({ type: "sync_push", v: 1, mutations });
        if (!m.success || m.data.type !== "sync_push") return;
        const id = (++node).toString(16).padStart(16, "0");
        h.hub.sync.hello(id, 1, 0);
        const r = h.hub.sync.push(id, m.data.mutations);
        expect(r.ack.type).toBe("sync_ack");
      }),
      { numRuns: RUNS },
    );
  });

  test("answers every frame with the socket kept open and the hub up", async () => {
    const s = openSocket(h.base);
    await s.next("snapshot");
    const frames = fc.sample(
      fc.oneof(
        fc.string({ maxLength: 200 }),
        json.map((j) => JSON.stringify(j)),
        near(["type", "id", "command", "node_id", "mutations", "since"]).map((o) => JSON.stringify({ type: "command", ...o })),
        near(["type", "v", "node_id", "schema_version", "cursor", "mutations"]).map((o) => JSON.stringify({ ...o, type: "sync_push" })),
      ),
      { numRuns: RUNS, seed: 42 },
    );
    for (const f of frames) s.ws.send(f);
    s.ws.send(JSON.stringify({ type: "resync" }));
    const end = Date.now() + 10_000;
    while (s.messages.filter((m) => m.type === "snapshot").length < 2 && Date.now() < end) await Bun.sleep(20);
    expect(s.ws.readyState).toBe(WebSocket.OPEN);
    expect(s.messages.filter((m) => m.type === "snapshot").length).toBe(2);
    expect((await fetch(`${h.base}/api/health`)).status).toBe(200);
    s.ws.close();
  }, 30_000);
});
