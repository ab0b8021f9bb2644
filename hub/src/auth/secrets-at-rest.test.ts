/**
 * The data folder and the hub's log, searched for every secret the hub handles after a real
 * session: the MQTT password, a paired app's session token and its HMAC proof, the pairing codes
 * once used, the hub's own private key and the sealing key. Each may appear only in the one file
 * meant to hold it (identity.key, secret.key), never in clear elsewhere — database, WAL, log.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keyPair, pairWithHub, signIn, toHex } from "@brewos/protocol/auth";
import { hubOnDisk } from "../testing/hub-on-disk.ts";

const dir = mkdtempSync(join(tmpdir(), "brewos-secrets-"));
const log: string[] = [];
let h: Awaited<ReturnType<typeof hubOnDisk>>;

beforeAll(async () => {
  h = await hubOnDisk({ dataDir: dir, kioskAddresses: [], log: (l, t) => log.push(`${l} ${t}`) });
});
afterAll(async () => {
  await h?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("no secret in clear in the data folder or the log", async () => {
  const password = "correct-horse-battery-staple-42";
  const code = h.hub.auth.pairing.open();
  const keys = keyPair();
  await pairWithHub({ base: h.base, keys, name: "Secret test", secret: code.typed, via: "typed" });
  const { token } = await signIn({ base: h.base, keys });
  const r = await fetch(`${h.base}/api/settings`, {
    method: "PATCH",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ hub: { mqtt: { host: "127.0.0.1", port: 1, username: "brewos", password } } }),
  });
  expect(r.status).toBe(200);
  h.hub.db.exec("PRAGMA wal_checkpoint(PASSIVE)");
  const identity = readFileSync(join(dir, "identity.key"), "utf8").trim();
  const sealing = readFileSync(join(dir, "secret.key"), "utf8").trim();
  const secrets: Record<string, { value: string; home?: string }> = {
    "MQTT password": { value: password },
    "session token": { value: token },
    "session token signature": { value: token.split(".")[1] as string },
    "typed pairing code": { value: code.typed },
    "QR pairing secret": { value: code.secret },
    "app private key": { value: toHex(keys.secretKey) },
    "hub private key": { value: identity, home: "identity.key" },
    "sealing key": { value: sealing, home: "secret.key" },
  };
  const files = readdirSync(dir);
  const found: string[] = [];
  for (const f of files) {
    const text = readFileSync(join(dir, f)).toString("latin1");
    for (const [name, s] of Object.entries(secrets)) if (s.home !== f && text.includes(s.value)) found.push(`${name} in ${f}`);
    expect(`${f} ${(statSync(join(dir, f)).mode & 0o777).toString(8)}`).toBe(`${f} 600`);
  }
  const logText = log.join("\n");
  for (const [name, s] of Object.entries(secrets)) if (logText.includes(s.value)) found.push(`${name} in the log`);
  console.log(
    `secrets searched: ${Object.keys(secrets).join(", ")}; files: ${files.join(", ")}; log lines: ${log.length}; found in clear: ${found.length ? found.join("; ") : "none"}`,
  );
  expect(found).toEqual([]);
  expect(files).toContain("hub.sqlite");
});
