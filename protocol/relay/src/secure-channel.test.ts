/**
 * The end-to-end channel between an app and its hub: the handshake with the keys from pairing, then
 * sealed frames both ways. Every attack the relay (or anyone on the path) could try ends in a
 * refusal: a hub impersonated by another key, an unpaired app, an app proof signed by the wrong
 * key, a changed byte, a replayed, dropped or reordered frame, a replayed handshake.
 */
import { describe, expect, test } from "bun:test";
import { idForPublicKey, keyPair, signerFor } from "../../auth/src/keys.ts";
import { AppHandshake, ChannelError, HubHandshake } from "./secure-channel.ts";

const hubKeys = keyPair();
const appKeys = keyPair();
const hub = { ...signerFor(hubKeys), id: idForPublicKey(hubKeys.publicKey) };
const app = { ...appKeys, id: idForPublicKey(appKeys.publicKey) };
const paired = (id: string) => (id === app.id ? app.publicKey : null);
const text = (s: string) => new TextEncoder().encode(s);

function connect() {
  const a = new AppHandshake(app, { publicKey: hub.publicKey, id: hub.id });
  const h = new HubHandshake(hub, paired);
  const { session: appSide, proof } = a.reply(h.hello(a.hello()));
  const { session: hubSide, appId } = h.proof(proof);
  return { appSide, hubSide, appId };
}

describe("the end-to-end channel", () => {
  test("the handshake with the keys from pairing; frames both ways; the relay's view is ciphertext", () => {
    const { appSide, hubSide, appId } = connect();
    expect(appId).toBe(app.id);
    const status = text(JSON.stringify({ type: "snapshot", brew_c: 93.1 }));
    const sealed = hubSide.seal(status);
    expect(Buffer.from(sealed).includes(Buffer.from("brew_c"))).toBe(false);
    expect(appSide.open(sealed)).toEqual(status);
    expect(hubSide.open(appSide.seal(text("start_shot")))).toEqual(text("start_shot"));
    for (let i = 0; i < 100; i++) expect(appSide.open(hubSide.seal(text(`frame ${i}`)))).toEqual(text(`frame ${i}`));
  });

  test("a hub impersonated with another key is refused by the app", () => {
    const a = new AppHandshake(app, { publicKey: hub.publicKey, id: hub.id });
    const impostor = new HubHandshake({ ...signerFor(keyPair()), id: hub.id }, paired);
    expect(() => a.reply(impostor.hello(a.hello()))).toThrow("not signed by the paired hub");
  });

  test("an app the hub has not paired, or one proving with another key, is refused by the hub", () => {
    const stranger = keyPair();
    const s = { ...stranger, id: idForPublicKey(stranger.publicKey) };
    const h = new HubHandshake(hub, paired);
    expect(() => h.hello(new AppHandshake(s, { publicKey: hub.publicKey, id: hub.id }).hello())).toThrow("not paired");
    // Claims the paired app's id, signs with its own key.
    const liar = new AppHandshake({ ...stranger, id: app.id }, { publicKey: hub.publicKey, id: hub.id });
    const h2 = new HubHandshake(hub, paired);
    const { proof } = liar.reply(h2.hello(liar.hello()));
    expect(() => h2.proof(proof)).toThrow("not signed by the paired app");
  });

  test("a changed byte, a replay, a lost or reordered frame ends the session", () => {
    for (const attack of ["tamper", "replay", "drop", "reorder"] as const) {
      const { appSide, hubSide } = connect();
      const f1 = hubSide.seal(text("one"));
      const f2 = hubSide.seal(text("two"));
      if (attack === "tamper") {
        const bad = Uint8Array.from(f1);
        bad[9] = (bad[9] ?? 0) ^ 1; // the first byte of ciphertext
        expect(() => appSide.open(bad)).toThrow("changed on the way");
      } else if (attack === "replay") {
        appSide.open(f1);
        expect(() => appSide.open(f1)).toThrow("replayed, lost or reordered");
      } else if (attack === "drop") {
        expect(() => appSide.open(f2)).toThrow("replayed, lost or reordered");
      } else {
        expect(() => appSide.open(f2)).toThrow(ChannelError);
      }
      // Over for good: even the right next frame is refused now.
      expect(() => appSide.open(f1)).toThrow("ended");
    }
  });

  test("a recorded handshake replayed to the hub gets nowhere: the old proof does not fit the new reply", () => {
    const a = new AppHandshake(app, { publicKey: hub.publicKey, id: hub.id });
    const hello = a.hello();
    const h1 = new HubHandshake(hub, paired);
    const { proof } = a.reply(h1.hello(hello));
    h1.proof(proof); // the real session
    const h2 = new HubHandshake(hub, paired);
    h2.hello(hello); // the relay replays the hello …
    expect(() => h2.proof(proof)).toThrow(ChannelError); // … and the proof: keys differ, it does not open
  });
});
