/**
 * A scripted Bluetooth central against a real hub's /ws handling (SQLite on disk), through the
 * GATT framing at the smallest MTU: the hub's sign-in challenge arrives in chunks; an unpaired
 * central is refused and dropped; a paired app signs in exactly as on the LAN, gets the snapshot
 * (many chunks), and its command runs on the machine's state. A lost chunk costs one message: the
 * next command goes through.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { keyPair, utf8, wsAuthAnswer } from "@brewos/protocol/auth";
import { ChunkJoiner, chunkMessage } from "@brewos/protocol/ble/chunking";
import { WS_CLOSE } from "../api/ws.ts";
import { hubOnDisk } from "../testing/hub-on-disk.ts";
import { until } from "../testing/until.ts";
import { BleSession } from "./ble-session.ts";

let h: Awaited<ReturnType<typeof hubOnDisk>>;
beforeAll(async () => {
  h = await hubOnDisk();
});
afterAll(async () => {
  await h?.stop();
});

/** The central: what it heard, joined; how it was dropped; writes cut for the MTU. */
class Central {
  readonly heard: Record<string, unknown>[] = [];
  readonly notifications: Uint8Array[] = [];
  dropped: number | null = null;
  private readonly joiner = new ChunkJoiner();
  private seq = 0;
  readonly session: BleSession;

  constructor(readonly mtu = 23) {
    this.session = new BleSession({
      clients: h.server.fanout,
      mtu: () => this.mtu,
      notify: (c) => {
        this.notifications.push(c);
        const r = this.joiner.push(c);
        if (r.kind === "message") this.heard.push(JSON.parse(new TextDecoder().decode(r.message)) as Record<string, unknown>);
      },
      disconnect: (code) => {
        this.dropped = code;
      },
    });
  }

  /** The chunks of one message, not yet written. */
  chunks(m: unknown): Uint8Array[] {
    const r = chunkMessage(utf8(JSON.stringify(m)), this.mtu, this.seq);
    this.seq = r.nextSeq;
    return r.chunks;
  }

  write(m: unknown): void {
    for (const c of this.chunks(m)) this.session.written(c);
  }

  message(type: string, extra: (m: Record<string, unknown>) => boolean = () => true) {
    return until(type, () => this.heard.find((m) => m.type === type && extra(m)), 5000);
  }
}

describe("a Bluetooth session on the hub", () => {
  test("an unpaired central is asked to sign in, refused, and dropped", async () => {
    const c = new Central();
    const challenge = await c.message("auth_challenge");
    expect(c.notifications.length).toBeGreaterThan(1); // the challenge did not fit one 20-byte value
    for (const n of c.notifications) expect(n.length).toBeLessThanOrEqual(20);
    c.write(wsAuthAnswer(keyPair(), challenge as { nonce: string; device_id: string }));
    await until("dropped", () => c.dropped !== null, 5000);
    expect(c.dropped).toBe(WS_CLOSE.unauthenticated);
    expect(c.heard.some((m) => m.type === "snapshot")).toBe(false);
  });

  test("a paired app signs in as on the LAN, gets the state, and its commands run; a lost chunk costs one message", async () => {
    const keys = keyPair();
    h.hub.auth.apps.add(keys.publicKey, "Phone over Bluetooth");
    const c = new Central(23);
    const challenge = await c.message("auth_challenge");
    c.write(wsAuthAnswer(keys, challenge as { nonce: string; device_id: string }));
    const snapshot = await c.message("snapshot");
    expect(snapshot.state).toBeTruthy();
    // A command whose middle chunk is lost: dropped whole, never half-run.
    const lost = c.chunks({ type: "command", id: 1, command: { type: "set_mode", mode: "brew" } });
    expect(lost.length).toBeGreaterThan(2);
    lost.splice(1, 1);
    for (const chunk of lost) c.session.written(chunk);
    expect(c.session.resyncs).toBe(1);
    c.write({ type: "command", id: 2, command: { type: "set_mode", mode: "steam" } });
    const r = await c.message("result", (m) => m.id === 2);
    expect(r).toHaveProperty("id", 2);
    expect(c.heard.some((m) => m.type === "result" && m.id === 1)).toBe(false);
    expect(c.dropped).toBeNull();
    c.session.closed();
  });
});
