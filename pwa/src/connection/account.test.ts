/** Sign-in's return: only the answer to a sign-in started here (its state and nonce) is kept. */
import { afterEach, expect, test } from "bun:test";
import { finishSignIn, relayWebOrigin, signedIn, signOut } from "./account.ts";

const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const token = (claims: object) => `${b64({ alg: "RS256" })}.${b64(claims)}.signature`;
const pending = { relay: "https://relay.example", state: "s1", nonce: "n1", issuer: "https://issuer.example" };
const exp = Math.floor(Date.now() / 1000) + 3600;

afterEach(() => {
  signOut();
  sessionStorage.clear();
});

test("the answer to this sign-in is kept; the token leaves the address", () => {
  sessionStorage.setItem("brewos.account.pending", JSON.stringify(pending));
  const id = token({ iss: "https://issuer.example", sub: "alice", email: "alice@example.com", nonce: "n1", exp });
  const s = finishSignIn(`#id_token=${id}&state=s1`);
  expect(s).toMatchObject({ relay: "https://relay.example", sub: "alice", email: "alice@example.com", expMs: exp * 1000 });
  expect(signedIn()?.idToken).toBe(id);
  expect(location.hash).toBe("");
});

test("an answer to a sign-in not started here, or for another request, is refused and nothing is kept", () => {
  expect(() => finishSignIn(`#id_token=${token({ sub: "x", nonce: "n1", exp })}&state=s1`)).toThrow(/not started here/);
  sessionStorage.setItem("brewos.account.pending", JSON.stringify(pending));
  expect(() => finishSignIn(`#id_token=${token({ sub: "x", nonce: "other", exp })}&state=s1`)).toThrow(/does not match/);
  sessionStorage.setItem("brewos.account.pending", JSON.stringify(pending));
  expect(() => finishSignIn(`#id_token=${token({ sub: "x", nonce: "n1", exp })}&state=forged`)).toThrow(/not started here/);
  expect(signedIn()).toBeNull();
  expect(finishSignIn("#nothing=here")).toBeNull();
});

test("a relay's web origin from its socket endpoints", () => {
  expect(relayWebOrigin("wss://relay.example/hub")).toBe("https://relay.example");
  expect(relayWebOrigin("ws://127.0.0.1:8787/app")).toBe("http://127.0.0.1:8787");
});
