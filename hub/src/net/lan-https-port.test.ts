/** A port another program holds: the hub says so and keeps running; it never re-orders a certificate for it. */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTestCerts } from "../testing/certs.ts";
import { LanCertificate } from "./lan-certificate.ts";
import { LanHttps } from "./lan-https.ts";

const dir = mkdtempSync(join(tmpdir(), "brewos-lan-port-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("HTTPS on a port that is taken: a warning, nothing thrown, nothing served", async () => {
  const holder = createServer();
  const port = await new Promise<number>((r) => holder.listen(0, "127.0.0.1", () => r((holder.address() as { port: number }).port)));
  const certs = makeTestCerts(dir);
  const said: string[] = [];
  const certificate = new LanCertificate({
    dataDir: dir,
    deviceId: "aaaaaaaaaaaaaaaaaaaaaaaaaa",
    dns: { publishTxt: async () => {}, clearTxt: () => {} },
    onCertificate: () => {},
  });
  const https = new LanHttps({
    certificate,
    deviceId: "aaaaaaaaaaaaaaaaaaaaaaaaaa",
    port,
    hostname: "127.0.0.1",
    serve: { fetch: () => new Response("hub"), websocket: { message() {} } },
    addresses: () => ["127.0.0.1"],
    log: (_level, text) => said.push(text),
  });
  const issued = { cert: readFileSync(certs.cert, "utf8"), key: readFileSync(certs.key, "utf8"), name: "x", notBeforeMs: 0, notAfterMs: 1 };
  expect(() => https.use(issued)).not.toThrow();
  expect(said.some((t) => t.includes(`cannot listen on port ${port}`))).toBe(true);
  expect(https.status().serving).toBe(false);
  https.stop();
  certificate.stop();
  holder.close();
});
