/**
 * The hub process over HTTPS with a certificate for 127.0.0.1 signed by a test CA (openssl), and the
 * clear refusals when the certificate is half-given or unreadable.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTestCerts } from "../testing/certs.ts";
import { closedPort } from "../testing/hub-on-disk.ts";

const MAIN = join(import.meta.dir, "..", "main.ts");
const dir = mkdtempSync(join(tmpdir(), "brewos-tls-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { ca, cert, key } = makeTestCerts(dir);

function hub(args: string[]) {
  return Bun.spawn([process.execPath, MAIN, "--data", join(dir, "data"), "--host", "127.0.0.1", "--mdns", "off", ...args], {
    stdout: "pipe",
    stderr: "pipe",
  });
}

describe("HTTPS", () => {
  test("with a certificate and key the hub serves https, and says so", async () => {
    const port = await closedPort();
    const tcp = await closedPort(); // no machine: the hub serves its API with the link down
    const p = hub(["--tcp", `127.0.0.1:${tcp}`, "--port", String(port), "--tls-cert", cert, "--tls-key", key]);
    try {
      const reader = p.stdout.getReader();
      let out = "";
      while (!out.includes("listening")) out += new TextDecoder().decode((await reader.read()).value);
      expect(out).toContain(`https://127.0.0.1:${port}`);
      const r = await fetch(`https://127.0.0.1:${port}/api/health`, { tls: { ca: await Bun.file(ca).text() } });
      expect(r.status).toBe(200);
      expect(((await r.json()) as { status: string }).status).toBe("degraded"); // no controller
    } finally {
      p.kill();
      await p.exited;
    }
  }, 20000);

  test("half a certificate, or an unreadable one, is refused before listening", async () => {
    const half = hub(["--tcp", "127.0.0.1:1", "--port", "0", "--tls-cert", cert]);
    expect(await half.exited).toBe(2);
    expect(await new Response(half.stderr).text()).toContain("HTTPS needs both --tls-cert and --tls-key");
    const missing = hub(["--tcp", "127.0.0.1:1", "--port", "0", "--tls-cert", join(dir, "none.pem"), "--tls-key", key]);
    expect(await missing.exited).toBe(2);
    expect(await new Response(missing.stderr).text()).toContain("cannot read the HTTPS certificate");
  }, 20000);
});
