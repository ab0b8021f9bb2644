/**
 * The app's side of a relay connection, driven in memory against the hub's handshake: challenge →
 * app_hello with proof of the app's key → joined → handshake → whole messages both ways, large ones
 * in pieces that each fit a relay frame. A reply not signed by the paired hub fails the channel.
 */
import { describe, expect, test } from "bun:test";
import { fromBase64Url, utf8 } from "../../auth/src/encoding.ts";
import { idForPublicKey, keyPair, signerFor, verify } from "../../auth/src/keys.ts";
import { AppChannel } from "./app-channel.ts";
import { appProofMessage, FRAGMENT_BYTES, fragment, MAX_FRAME_BYTES, Reassembler, SESSION_PREFIX_BYTES } from "./relay-wire.ts";
import { HubHandshake } from "./secure-channel.ts";

/** An app channel and the hub's handshake for it; the hub's reply signed by its key or another. */
function pair(replySignedBy: "the paired hub" | "another key" = "the paired hub") {
  const hubKeys = keyPair();
  const appKeys = keyPair();
  const app = { ...appKeys, id: idForPublicKey(appKeys.publicKey) };
  const hubId = idForPublicKey(hubKeys.publicKey);
  const toRelay: (string | Uint8Array)[] = [];
  const heard: string[] = [];
  const failures: string[] = [];
  let opened = false;
  const channel = new AppChannel({
    ticket: "a.ticket",
    app,
    hub: { publicKey: hubKeys.publicKey, id: hubId },
    send: (d) => toRelay.push(d),
    onOpen: () => {
      opened = true;
    },
    onMessage: (t) => heard.push(t),
    onFail: (why) => failures.push(why),
  });
  const signer = replySignedBy === "the paired hub" ? hubKeys : keyPair();
  const hub = new HubHandshake({ ...signerFor(signer), id: hubId }, (id) => (id === app.id ? app.publicKey : null));
  return { channel, hub, toRelay, heard, failures, app, isOpen: () => opened };
}

describe("the app's relay channel", () => {
  test("challenge, proof of the app's key, handshake, then whole messages both ways — large ones in pieces that fit a frame", () => {
    const p = pair();
    p.channel.receive(JSON.stringify({ type: "challenge", v: 1, nonce: "n0nce" }));
    const hello = JSON.parse(String(p.toRelay.shift())) as { type: string; ticket: string; public_key: string; signature: string };
    expect(hello).toMatchObject({ type: "app_hello", ticket: "a.ticket" });
    expect(verify(fromBase64Url(hello.signature) as Uint8Array, appProofMessage("n0nce"), p.app.publicKey)).toBe(true);
    expect(p.channel.sendText("too early")).toBe(false);
    p.channel.receive(JSON.stringify({ type: "joined", v: 1 }));
    p.channel.receive(p.hub.hello(p.toRelay.shift() as Uint8Array));
    expect(p.isOpen()).toBe(true);
    const { session: hubSide } = p.hub.proof(p.toRelay.shift() as Uint8Array);

    const big = JSON.stringify({ type: "sync_push", notes: "é".repeat(100_000) }); // 200 KB of UTF-8
    expect(p.channel.sendText(big)).toBe(true);
    const pieces = p.toRelay.splice(0) as Uint8Array[];
    expect(pieces.length).toBe(Math.ceil(utf8(big).length / FRAGMENT_BYTES));
    for (const f of pieces) expect(f.length + SESSION_PREFIX_BYTES).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    const joined = new Reassembler();
    const atHub = pieces.map((f) => joined.push(hubSide.open(f))).filter((m) => m !== null);
    expect(atHub.map((m) => new TextDecoder().decode(m as Uint8Array))).toEqual([big]);

    for (const piece of fragment(utf8(big))) p.channel.receive(hubSide.seal(piece));
    p.channel.receive(hubSide.seal(fragment(utf8('{"type":"snapshot"}'))[0] as Uint8Array));
    expect(p.heard).toEqual([big, '{"type":"snapshot"}']);
    expect(p.failures).toEqual([]);
  });

  test("a reply not signed by the paired hub fails the channel; nothing is sent after", () => {
    const p = pair("another key");
    p.channel.receive(JSON.stringify({ type: "challenge", v: 1, nonce: "n" }));
    p.channel.receive(JSON.stringify({ type: "joined", v: 1 }));
    p.toRelay.splice(0, 1);
    p.channel.receive(p.hub.hello(p.toRelay.shift() as Uint8Array));
    expect(p.failures).toEqual(["the reply is not signed by the paired hub"]);
    expect(p.isOpen()).toBe(false);
    expect(p.channel.sendText("{}")).toBe(false);
    expect(p.toRelay).toEqual([]);
  });

  test("pieces: an empty message is one piece; a message over the limit or a piece with unknown flags is refused", () => {
    expect(fragment(new Uint8Array(0))).toEqual([Uint8Array.of(0)]);
    const r = new Reassembler(10);
    expect(r.push(Uint8Array.of(1, 1, 2, 3))).toBeNull();
    expect(() => r.push(Uint8Array.of(0, ...new Array(8).fill(9)))).toThrow("a message over 10 bytes");
    expect(() => new Reassembler().push(Uint8Array.of(4, 1))).toThrow("not a message piece");
    expect(new Reassembler().push(Uint8Array.of(0, 65, 66))).toEqual(Uint8Array.of(65, 66));
  });
});
