/**
 * `npm run relay` as people start it (its own process): with a certificate it serves wss:// itself —
 * a hub is challenged over TLS, /health answers over HTTPS, checked against the test's own CA;
 * half-given options are refused with a sentence and exit status 2, never a half-configured relay.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTestCerts } from "../../hub/src/testing/certs.ts";
import { readUntil } from "../../hub/src/testing/read-until.ts";

const MAIN = join(import.meta.dir, "main.ts");
const dir = mkdtempSync(join(tmpdir(), "brewos-relay-main-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("with --cert and --key the relay serves wss:// and https:// itself", async () => {
  const certs = makeTestCerts(dir);
  const proc = Bun.spawn([process.execPath, MAIN, "--port", "0", "--data", join(dir, "data"), "--cert", certs.cert, "--key", certs.key], {
    stdout: "pipe",
    stderr: "pipe",
  });
  try {
    const port = Number((await readUntil(proc.stdout, /listening on wss:\/\/127\.0\.0\.1:(\d+)/, 10_000))[1]);
    const ca = await Bun.file(certs.ca).text();
    const health = await fetch(`https://127.0.0.1:${port}/health`, { tls: { ca } } as RequestInit);
    expect(await health.json()).toMatchObject({ ok: true, hubs_online: 0 });
    const challenged = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(`wss://127.0.0.1:${port}/hub`, { tls: { ca } } as never);
      ws.addEventListener("message", (e) => {
        resolve(JSON.parse(String(e.data)).type);
        ws.close();
      });
      ws.addEventListener("error", () => reject(new Error("no wss connection")));
    });
    expect(challenged).toBe("challenge");
    // Without the CA the certificate is not trusted: TLS is really on.
    expect(
      await fetch(`https://127.0.0.1:${port}/health`).then(
        () => "trusted",
        () => "refused",
      ),
    ).toBe("refused");
  } finally {
    proc.kill();
    await proc.exited;
  }
}, 20_000);

test("with --app the relay serves the built app at its own origin, beside /health and its sockets", async () => {
  const app = join(dir, "dist");
  mkdirSync(join(app, "assets"), { recursive: true });
  writeFileSync(join(app, "index.html"), "<!doctype html><title>BrewOS</title><div id=root></div>");
  writeFileSync(join(app, "assets", "index-Bq3xZ9kd.js"), "console.log(1);\n");
  const proc = Bun.spawn([process.execPath, MAIN, "--port", "0", "--data", join(dir, "data-app"), "--app", app], {
    stdout: "pipe",
    stderr: "pipe",
  });
  try {
    const port = Number((await readUntil(proc.stdout, /listening on ws:\/\/127\.0\.0\.1:(\d+).*the app from/, 10_000))[1]);
    const base = `http://127.0.0.1:${port}`;
    // An invite link opens /pair: a client-side route, answered with the app.
    const pair = await fetch(`${base}/pair`);
    expect(pair.status).toBe(200);
    expect(await pair.text()).toContain("<title>BrewOS</title>");
    const js = await fetch(`${base}/assets/index-Bq3xZ9kd.js`);
    expect(js.headers.get("cache-control")).toContain("immutable");
    expect((await fetch(`${base}/assets/nothing.js`)).status).toBe(404);
    expect(await (await fetch(`${base}/%2e%2e/%2e%2e/etc/passwd`)).text()).not.toContain("root:"); // nothing outside the app
    expect(await (await fetch(`${base}/health`)).json()).toMatchObject({ ok: true });
    expect((await fetch(`${base}/app`)).status).toBe(426); // still the apps' socket
    for (const path of ["/api/state", "/ws"]) expect((await fetch(`${base}${path}`)).status).toBe(404); // no machine here
  } finally {
    proc.kill();
    await proc.exited;
  }
}, 20_000);

test("options given by halves are refused with a sentence", () => {
  for (const [args, says] of [
    [["--cert", "x.pem"], "--cert and --key go together"],
    [["--oidc-issuer", "https://id.example"], "needs all three"],
    [["--port", "99999"], "--port must be 0 to 65535"],
  ] as const) {
    const r = Bun.spawnSync([process.execPath, MAIN, "--data", join(dir, "x"), ...args], { stdout: "pipe", stderr: "pipe" });
    expect({ args, status: r.exitCode, says: r.stderr.toString().includes(says) }).toEqual({ args, status: 2, says: true });
  }
});
