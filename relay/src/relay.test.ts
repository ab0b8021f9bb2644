/**
 * The relay on a real Bun server on 127.0.0.1 (registry in SQLite on disk): a hub proves its key,
 * an app joins it with a ticket the hub signed, frames pass both ways untouched; the hub ends an
 * app's session. Then the security matrix — every attempt refused with its documented close code
 * and nothing forwarded: no hello, a hub proof signed by another key, a ticket forged, expired,
 * living too long, signed by another hub, for a hub that is offline, text frames from an app, an
 * oversize frame, a flood; a pairing hello naming no hub or an unknown one, text in a pairing
 * session, more pairing sessions a minute than allowed. Printed as a table.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { idForPublicKey, keyPair, signerFor } from "@brewos/protocol/auth";
import {
  appHello,
  hubProof,
  issueTicket,
  MAX_FRAME_BYTES,
  PAIRING_SESSIONS_PER_MINUTE,
  pairHello,
  RELAY_CLOSE,
  splitSession,
  withSession,
} from "@brewos/protocol/relay";
import { AppHandshake, HubHandshake } from "@brewos/protocol/relay/secure-channel";
import { Relay } from "./relay.ts";
import { connectHub as connectHubAt, expectFramesBothWays, joinApp as joinAppAt, Peer } from "./testing/peer.ts";

const dir = mkdtempSync(join(tmpdir(), "brewos-relay-"));
let relay: Relay;
let server: ReturnType<typeof Bun.serve>;
let base = "";
const matrix: [string, string][] = [];

beforeAll(() => {
  relay = new Relay({ dataDir: dir, framesPerSecond: 50, burstFrames: 100 });
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: relay.fetch, websocket: relay.websocket });
  base = `ws://127.0.0.1:${server.port}`;
});

afterAll(() => {
  console.log(`relay security matrix:\n${matrix.map(([what, got]) => `  ${what.padEnd(58)} ${got}`).join("\n")}`);
  relay.stop();
  server.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

const connectHub = (keys = keyPair()) => connectHubAt(base, keys);
const joinApp = (ticket: string, keys = appKeys) => joinAppAt(base, ticket, keys);

/** An app with no keys yet saying `hello` (a pairing hello) after the relay's challenge. */
async function pairingApp(hello: object): Promise<Peer> {
  const p = new Peer(`${base}/app`);
  await p.message("challenge");
  p.send(hello);
  return p;
}

const appKeys = keyPair();
const appId = idForPublicKey(appKeys.publicKey);
const inAMinute = () => Date.now() + 60_000;

describe("the relay", () => {
  test("a hub proves its key; an app joins with its ticket; frames pass both ways untouched; the hub ends the session", async () => {
    const { hub, keys, id } = await connectHub();
    expect(id).toBe(idForPublicKey(keys.publicKey));
    const app = await joinApp(issueTicket({ hub: id, app: appId, exp: inAMinute() }, signerFor(keys)));
    await app.message("joined");
    expect((await hub.message("session_open")).app_id).toBe(appId);
    // The relay sees bytes it cannot read: pretend-ciphertext, checked byte for byte.
    const session = await expectFramesBothWays(hub, app);
    const health = (await (await fetch(`http://127.0.0.1:${server.port}/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ ok: true, hubs_online: 1, apps_online: 1 });
    // The hub revokes the app: its session ends at once.
    hub.send({ type: "close_session", session, revoked: true });
    expect((await app.closedWith()).code).toBe(RELAY_CLOSE.ended_by_hub);
    matrix.push(["the hub ends an app's session (revoked)", `closed ${RELAY_CLOSE.ended_by_hub}`]);
    // Ended for another reason (its channel failed): a different code, so the app keeps its keys.
    const again = await joinApp(issueTicket({ hub: id, app: appId, exp: inAMinute() }, signerFor(keys)));
    await again.message("joined");
    const reopened = await hub.until("second session", () => hub.text.filter((m) => m.type === "session_open")[1]);
    hub.send({ type: "close_session", session: reopened.session, revoked: false });
    expect((await again.closedWith()).code).toBe(RELAY_CLOSE.session_ended);
    matrix.push(["the hub ends an app's session (its channel failed)", `closed ${RELAY_CLOSE.session_ended}`]);
    hub.ws.close();
  });

  test("the security matrix: each attempt is refused with its code, and nothing reaches the hub", async () => {
    const { hub, keys, id } = await connectHub();
    const other = keyPair();
    const otherHub = await connectHub(other);
    const cases: [string, () => Promise<Peer>, number][] = [
      [
        "no hello from an app (silence)",
        async () => {
          const p = new Peer(`${base}/app`);
          await p.opened;
          return p;
        },
        RELAY_CLOSE.no_hello,
      ],
      [
        "an app's hello with no ticket",
        async () => {
          const p = new Peer(`${base}/app`);
          await p.opened;
          p.send({ type: "app_hello", v: 1 });
          return p;
        },
        RELAY_CLOSE.no_hello,
      ],
      [
        "a forged ticket (claims edited after signing)",
        async () => joinApp(forge(issueTicket({ hub: id, app: appId, exp: inAMinute() }, signerFor(keys)))),
        RELAY_CLOSE.refused,
      ],
      [
        "an expired ticket",
        async () => joinApp(issueTicket({ hub: id, app: appId, exp: Date.now() - 1 }, signerFor(keys))),
        RELAY_CLOSE.refused,
      ],
      [
        "a ticket that lives a year",
        async () => joinApp(issueTicket({ hub: id, app: appId, exp: Date.now() + 365 * 86_400_000 }, signerFor(keys))),
        RELAY_CLOSE.refused,
      ],
      [
        "a ticket for this hub signed by another hub's key",
        async () => joinApp(issueTicket({ hub: id, app: appId, exp: inAMinute() }, signerFor(other))),
        RELAY_CLOSE.refused,
      ],
      [
        "a ticket for a hub the relay has never seen",
        async () => joinApp(issueTicket({ hub: idForPublicKey(keyPair().publicKey), app: appId, exp: inAMinute() }, signerFor(keys))),
        RELAY_CLOSE.refused,
      ],
      ["garbage for a ticket", async () => joinApp("not.a.ticket.at.all"), RELAY_CLOSE.refused],
      [
        "a stolen ticket (shown by someone without the app's key)",
        async () => joinApp(issueTicket({ hub: id, app: appId, exp: inAMinute() }, signerFor(keys)), keyPair()),
        RELAY_CLOSE.refused,
      ],
      [
        "an app replaying another connection's hello",
        async () => {
          const first = new Peer(`${base}/app`);
          const c1 = await first.message("challenge");
          const hello = appHello(
            issueTicket({ hub: id, app: appId, exp: inAMinute() }, signerFor(keys)),
            String(c1.nonce),
            signerFor(appKeys),
          );
          first.ws.close();
          const p = new Peer(`${base}/app`);
          await p.message("challenge");
          p.send(hello);
          return p;
        },
        RELAY_CLOSE.refused,
      ],
      [
        "a hub proving with a signature from another key",
        async () => {
          const p = new Peer(`${base}/hub`);
          const c = await p.message("challenge");
          const forgedProof = {
            ...hubProof(String(c.nonce), signerFor(other)),
            public_key: hubProof(String(c.nonce), signerFor(keys)).public_key,
          };
          p.send(forgedProof);
          return p;
        },
        RELAY_CLOSE.refused,
      ],
      [
        "a hub replaying another connection's proof",
        async () => {
          const first = new Peer(`${base}/hub`);
          const c1 = await first.message("challenge");
          const proof = hubProof(String(c1.nonce), signerFor(keys));
          first.ws.close();
          const p = new Peer(`${base}/hub`);
          await p.message("challenge"); // a fresh nonce: the old proof does not answer it
          p.send(proof);
          return p;
        },
        RELAY_CLOSE.refused,
      ],
      [
        "a joined app sending a text frame",
        async () => {
          const p = await joinApp(issueTicket({ hub: id, app: appId, exp: inAMinute() }, signerFor(keys)));
          await p.message("joined");
          p.send("hello hub");
          return p;
        },
        RELAY_CLOSE.bad_frame,
      ],
      [
        "an oversize frame (64 KiB + 1)",
        async () => {
          const p = await joinApp(issueTicket({ hub: id, app: appId, exp: inAMinute() }, signerFor(keys)));
          await p.message("joined");
          p.send(new Uint8Array(MAX_FRAME_BYTES + 1));
          return p;
        },
        1009,
      ],
      ["a pairing hello that names no hub", () => pairingApp({ type: "pair_hello", v: 1, hub_id: "../../etc" }), RELAY_CLOSE.no_hello],
      [
        "a pairing hello for a hub the relay has never seen",
        () => pairingApp(pairHello(idForPublicKey(keyPair().publicKey))),
        RELAY_CLOSE.hub_offline,
      ],
      [
        "a pairing session sending a text frame",
        async () => {
          const p = await pairingApp(pairHello(id));
          expect((await p.message("joined")).pairing).toBe(true);
          p.send("hello hub");
          return p;
        },
        RELAY_CLOSE.bad_frame,
      ],
      [
        `pairing sessions for one hub, more than ${PAIRING_SESSIONS_PER_MINUTE} a minute`,
        async () => {
          for (;;) {
            const p = await pairingApp(pairHello(id));
            const first = await Promise.race([p.message("joined").then(() => "joined"), p.closedWith().then(() => "closed")]);
            if (first === "closed") return p;
            p.ws.close();
          }
        },
        RELAY_CLOSE.too_fast,
      ],
      [
        "a flood (1 000 frames at once, 100 allowed in a burst)",
        async () => {
          const p = await joinApp(issueTicket({ hub: id, app: appId, exp: inAMinute() }, signerFor(keys)));
          await p.message("joined");
          for (let i = 0; i < 1000; i++) p.send(new Uint8Array([0xff, i & 0xff]));
          return p;
        },
        RELAY_CLOSE.too_fast,
      ],
    ];
    for (const [what, attempt, code] of cases) {
      const before = hub.binary.length;
      const p = await attempt();
      const closed = await p.closedWith();
      matrix.push([what, `closed ${closed.code} (${closed.reason})`]);
      expect({ what, code: closed.code }).toEqual({ what, code });
      // Nothing but the flood's first 100 frames (within its budget) may have been forwarded.
      const forwarded = hub.binary.slice(before).filter((f) => !(f[4] === 0xff));
      expect(forwarded).toEqual([]);
    }
    // A hub whose key is already connected elsewhere takes over: the older socket is closed.
    const again = await connectHub(other);
    expect((await otherHub.hub.closedWith()).code).toBe(RELAY_CLOSE.replaced);
    matrix.push(["the same hub connecting again (the old socket)", `closed ${RELAY_CLOSE.replaced}`]);
    const metrics = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    expect(metrics).toContain('brewos_relay_refused_total{reason="refused"}');
    again.hub.ws.close();
    hub.ws.close();
  }, 30000);

  test("end to end through the relay: the handshake with the pairing keys, then only ciphertext passes", async () => {
    const { hub, keys, id } = await connectHub();
    const appKeys = keyPair();
    const me = { ...appKeys, id: idForPublicKey(appKeys.publicKey) };
    const app = await joinApp(issueTicket({ hub: id, app: me.id, exp: inAMinute() }, signerFor(keys)), appKeys);
    await app.message("joined");
    const session = Number((await hub.message("session_open")).session);
    const hubSide = new HubHandshake({ ...signerFor(keys), id }, (appId) => (appId === me.id ? me.publicKey : null));
    const appSide = new AppHandshake(me, { publicKey: keys.publicKey, id });
    app.send(appSide.hello());
    const hello = splitSession(await hub.until("hello at the hub", () => hub.binary[0]));
    hub.send(withSession(session, hubSide.hello(hello?.payload ?? new Uint8Array())));
    const { session: appChannel, proof } = appSide.reply(await app.until("reply at the app", () => app.binary[0]));
    app.send(proof);
    const proved = splitSession(await hub.until("proof at the hub", () => hub.binary[1]));
    const { session: hubChannel } = hubSide.proof(proved?.payload ?? new Uint8Array());
    const command = new TextEncoder().encode(JSON.stringify({ type: "command", command: { type: "set_mode", mode: "brew" } }));
    app.send(appChannel.seal(command));
    const arrived = splitSession(await hub.until("a sealed command", () => hub.binary[2]));
    expect(Buffer.from(arrived?.payload ?? []).includes(Buffer.from("set_mode"))).toBe(false); // what the relay carried
    expect(hubChannel.open(arrived?.payload ?? new Uint8Array())).toEqual(command);
    matrix.push(["end to end: a command through the relay", "opened at the hub; the relay carried ciphertext"]);
    hub.ws.close();
  });

  test("a reader too slow for what its hub sends is cut off; the hub is told and its other apps go on", async () => {
    const slowDir = mkdtempSync(join(tmpdir(), "brewos-relay-slow-"));
    const strict = new Relay({ dataDir: slowDir, framesPerSecond: 10_000, burstFrames: 10_000, maxBufferedBytes: 256 * 1024 });
    const srv = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: strict.fetch, websocket: strict.websocket });
    try {
      const keys = keyPair();
      const hub = new Peer(`ws://127.0.0.1:${srv.port}/hub`);
      hub.send(hubProof(String((await hub.message("challenge")).nonce), signerFor(keys)));
      const id = String((await hub.message("ready")).hub_id);
      const ticket = issueTicket({ hub: id, app: appId, exp: inAMinute() }, signerFor(keys));
      const slow = await rawWebSocketApp(srv.port ?? 0, ticket, appKeys);
      const slowSession = Number((await hub.message("session_open")).session);
      const brisk = new Peer(`ws://127.0.0.1:${srv.port}/app`);
      brisk.send(appHello(ticket, String((await brisk.message("challenge")).nonce), signerFor(appKeys)));
      await brisk.message("joined");
      const briskSession = Number((await hub.until("second session", () => hub.text.filter((m) => m.type === "session_open")[1])).session);
      slow.pause(); // reads nothing more: the kernel's buffers fill, then the relay's
      const piece = new Uint8Array(60 * 1024);
      for (let i = 0; i < 400 && !hub.text.some((m) => m.type === "session_closed"); i++) {
        hub.send(withSession(slowSession, piece));
        if (i % 20 === 0) await Bun.sleep(5);
      }
      const closed = await hub.until("session_closed for the slow reader", () => hub.text.find((m) => m.type === "session_closed"));
      expect(closed.session).toBe(slowSession);
      expect(strict.counters.refused.get("too_slow")).toBe(1);
      hub.send(withSession(briskSession, Uint8Array.of(1, 2, 3)));
      expect(await brisk.until("the other app's frame", () => brisk.binary.find((b) => b.length === 3))).toEqual(Uint8Array.of(1, 2, 3));
      matrix.push(["a slow reader (reads nothing while its hub sends)", `cut off (too_slow); hub told; other apps go on`]);
      slow.destroy();
      hub.ws.close();
      brisk.ws.close();
    } finally {
      strict.stop();
      srv.stop(true);
      rmSync(slowDir, { recursive: true, force: true });
    }
  }, 30000);

  test("an app whose hub is offline is told so; when the hub goes away its apps are closed", async () => {
    const { hub, keys, id } = await connectHub();
    const app = await joinApp(issueTicket({ hub: id, app: appId, exp: inAMinute() }, signerFor(keys)));
    await app.message("joined");
    hub.ws.close();
    expect((await app.closedWith()).code).toBe(RELAY_CLOSE.hub_offline);
    const late = await joinApp(issueTicket({ hub: id, app: appId, exp: inAMinute() }, signerFor(keys)));
    expect((await late.closedWith()).code).toBe(RELAY_CLOSE.hub_offline);
    matrix.push(["an app joining a hub that is offline", `closed ${RELAY_CLOSE.hub_offline}`]);
    // Known to the registry all the same (for tickets while it reconnects), on disk.
    expect(relay.registry.publicKey(id)).toEqual(keys.publicKey);
  });
});

/** Change the claims of a signed ticket without re-signing it (a longer life). */
function forge(ticket: string): string {
  const [body, sig] = ticket.split(".") as [string, string];
  const claims = JSON.parse(Buffer.from(body, "base64url").toString()) as Record<string, unknown>;
  claims.exp = Number(claims.exp) + 86_400_000;
  return `${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${sig}`;
}

/**
 * An app on a bare TCP socket speaking just enough WebSocket to join (the upgrade, the challenge,
 * a masked app_hello, the joined answer), so the test can then stop reading it — a browser's or
 * Bun's own client always reads.
 */
async function rawWebSocketApp(port: number, ticket: string, keys: ReturnType<typeof keyPair>): Promise<Socket> {
  const socket = connect(port, "127.0.0.1");
  let got = Buffer.alloc(0);
  socket.on("data", (d: Buffer) => {
    got = Buffer.concat([got, d]);
  });
  await new Promise((r) => socket.once("connect", r));
  const key = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  socket.write(
    `GET /app HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  /** The server's text frames after the upgrade answer (small, unmasked). */
  const texts = (): string[] => {
    const head = got.indexOf("\r\n\r\n");
    if (head < 0) return [];
    const out: string[] = [];
    let at = head + 4;
    while (at + 2 <= got.length) {
      let len = (got[at + 1] ?? 0) & 0x7f;
      let start = at + 2;
      if (len === 126) {
        len = got.readUInt16BE(at + 2);
        start = at + 4;
      }
      if (start + len > got.length) break;
      out.push(got.subarray(start, start + len).toString());
      at = start + len;
    }
    return out;
  };
  const waitFor = async (type: string): Promise<Record<string, unknown>> => {
    const end = Date.now() + 5000;
    for (;;) {
      const m = texts()
        .map((t) => JSON.parse(t) as Record<string, unknown>)
        .find((x) => x.type === type);
      if (m) return m;
      if (Date.now() > end) throw new Error(`raw app: no ${type} (${got.toString().slice(0, 300)})`);
      await Bun.sleep(5);
    }
  };
  const nonce = String((await waitFor("challenge")).nonce);
  const payload = Buffer.from(JSON.stringify(appHello(ticket, nonce, signerFor(keys))));
  const mask = Buffer.from(crypto.getRandomValues(new Uint8Array(4)));
  const header =
    payload.length < 126
      ? Buffer.from([0x81, 0x80 | payload.length])
      : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  socket.write(Buffer.concat([header, mask, payload.map((b, i) => b ^ (mask[i % 4] ?? 0))]));
  await waitFor("joined");
  return socket;
}
