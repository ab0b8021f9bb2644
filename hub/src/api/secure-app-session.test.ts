/**
 * A paired app's end-to-end session on a slow link (Bluetooth): machine deltas are merged to the
 * link's pace, a shot's start goes out at once, other messages keep their order after the state
 * they follow, and what the app pieces together is exact — the newest value of every field.
 */
import { describe, expect, test } from "bun:test";
import { idForPublicKey, keyPair, signerFor, utf8 } from "@brewos/protocol/auth";
import { fragment, Reassembler } from "@brewos/protocol/relay";
import { AppHandshake, type SecureSession } from "@brewos/protocol/relay/secure-channel";
import type { WSContext } from "hono/ws";
import { SecureAppSession } from "./secure-app-session.ts";

interface Heard {
  type: string;
  from_seq?: number;
  seq?: number;
  changes?: Record<string, unknown>;
  id?: number;
}

function pairedSession(paceDeltasMs?: number) {
  const hubKeys = keyPair();
  const hub = { ...signerFor(hubKeys), id: idForPublicKey(hubKeys.publicKey) };
  const appKeys = keyPair();
  const app = { ...appKeys, id: idForPublicKey(appKeys.publicKey) };
  let socket: WSContext | null = null;
  const toApp: Uint8Array[] = [];
  const session = new SecureAppSession({
    hub,
    appKey: (id) => (id === app.id ? appKeys.publicKey : null),
    clients: {
      open: (ws) => {
        socket = ws;
      },
      message: async () => {},
      close: () => {},
    },
    tag: {},
    send: (f) => toApp.push(f),
    end: () => {},
    ...(paceDeltasMs ? { paceDeltasMs } : {}),
  });
  const handshake = new AppHandshake(app, { publicKey: hubKeys.publicKey, id: hub.id });
  session.frame(handshake.hello());
  const { session: channel, proof } = handshake.reply(toApp.shift() as Uint8Array);
  session.frame(proof);
  const heard: Heard[] = [];
  const pieces = new Reassembler();
  const drain = (c: SecureSession) => {
    for (const f of toApp.splice(0)) {
      const whole = pieces.push(c.open(f));
      if (whole) heard.push(JSON.parse(new TextDecoder().decode(whole)) as Heard);
    }
    return heard;
  };
  return {
    /** The hub's /ws fan-out sending to this app. */
    send: (m: object) => (socket as WSContext).send(JSON.stringify(m)),
    heard: () => drain(channel),
    session,
    /** The app's own frames, e.g. a command. */
    fromApp: (m: object) => {
      for (const p of fragment(utf8(JSON.stringify(m)))) session.frame(channel.seal(p));
    },
  };
}

const delta = (seq: number, changes: Record<string, unknown>) => ({ type: "delta", from_seq: seq, seq, changes, rx_ms: seq });

describe("a paired app's session on a slow link", () => {
  test("50 deltas in 1 s at a 100 ms pace: at most 11 reach the app, contiguous, ending on the newest values", async () => {
    const s = pairedSession(100);
    for (let seq = 1; seq <= 50; seq++) {
      s.send(delta(seq, { pressure_bar: seq / 10, ...(seq % 10 === 0 ? { weight_g: seq } : {}) }));
      await Bun.sleep(20);
    }
    await Bun.sleep(150);
    const deltas = s.heard().filter((m) => m.type === "delta");
    expect(deltas.length).toBeGreaterThanOrEqual(5);
    expect(deltas.length).toBeLessThanOrEqual(11);
    expect(deltas[0]?.from_seq).toBe(1);
    for (let i = 1; i < deltas.length; i++) expect(deltas[i]?.from_seq).toBe((deltas[i - 1]?.seq as number) + 1);
    const last = deltas.at(-1) as Heard;
    expect(last.seq).toBe(50);
    const merged = Object.assign({}, ...deltas.map((d) => d.changes));
    expect(merged).toEqual({ pressure_bar: 5, weight_g: 50 });
    s.session.closed();
  });

  test("a shot's start is sent at once; a reply goes after the state pending before it", async () => {
    const s = pairedSession(10_000);
    s.send(delta(1, { pressure_bar: 0.5 }));
    s.send(delta(2, { pressure_bar: 0.7 }));
    s.send(delta(3, { brewing: true }));
    expect(s.heard().map((m) => [m.type, m.seq])).toEqual([
      ["delta", 1],
      ["delta", 3],
    ]);
    expect(s.heard()[1]).toMatchObject({ from_seq: 2, changes: { pressure_bar: 0.7, brewing: true } });
    s.send(delta(4, { pressure_bar: 9 }));
    s.send({ type: "result", id: 5, ok: true });
    expect(s.heard().slice(2)).toEqual([
      { type: "delta", from_seq: 4, seq: 4, changes: { pressure_bar: 9 }, rx_ms: 4 } as Heard,
      { type: "result", id: 5, ok: true } as Heard,
    ]);
    s.session.closed();
  });

  test("without a pace (the relay) every delta goes as it comes", () => {
    const s = pairedSession();
    for (let seq = 1; seq <= 20; seq++) s.send(delta(seq, { pressure_bar: seq }));
    expect(s.heard().filter((m) => m.type === "delta")).toHaveLength(20);
    s.session.closed();
  });
});
