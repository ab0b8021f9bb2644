/**
 * Settings that would have crashed or reset the hub (issue: never crash, never lose): files
 * checked when named, a bad stored section falling back alone and reported, a damaged row, an
 * HTTPS certificate that went bad before a restart (the hub still comes up, on HTTP, and says why).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTestCerts } from "../testing/certs.ts";
import { hubOnDisk } from "../testing/hub-on-disk.ts";
import { spawnHubProcess } from "../testing/hub-process.ts";

const dirs: string[] = [];
function folder(): string {
  const d = mkdtempSync(join(tmpdir(), "brewos-stored-"));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const patch = (base: string, body: unknown) =>
  fetch(`${base}/api/settings`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("settings that name files", () => {
  test("a CA file, certificate or key that is not one is refused when set, naming the field", async () => {
    const d = folder();
    const junk = join(d, "junk.pem");
    writeFileSync(junk, "this is not a certificate\n");
    const certs = makeTestCerts(d);
    const h = await hubOnDisk();
    try {
      const bad = [
        [{ hub: { mqtt: { enabled: true, host: "127.0.0.1", tls: { enabled: true, ca_path: junk } } } }, "hub.mqtt.tls.ca_path"],
        [
          { hub: { mqtt: { enabled: true, host: "127.0.0.1", tls: { enabled: true, ca_path: join(d, "missing.pem") } } } },
          "hub.mqtt.tls.ca_path",
        ],
        [{ hub: { https: { cert_path: junk, key_path: certs.key } } }, "hub.https.cert_path"],
        [{ hub: { https: { cert_path: certs.cert, key_path: junk } } }, "hub.https.cert_path"],
        [{ hub: { https: { cert_path: certs.ca, key_path: certs.key } } }, "hub.https.cert_path"], // the CA's certificate, not the key's
      ] as const;
      for (const [body, path] of bad) {
        const r = await patch(h.base, body);
        const e = ((await r.json()) as { error: { code: string; issues: { path: string; message: string }[] } }).error;
        expect(`${r.status} ${e.code} ${e.issues[0]?.path}`).toBe(`400 invalid_settings ${path}`);
      }
      expect(h.hub.settings.hubSettings().https.cert_path).toBe("");
      expect((await patch(h.base, { hub: { https: { cert_path: certs.cert, key_path: certs.key } } })).status).toBe(200);
      expect((await patch(h.base, { hub: { mqtt: { tls: { enabled: true, ca_path: certs.ca } } } })).status).toBe(200);
    } finally {
      await h.stop();
    }
  });

  test("a CA file that went bad after it was set turns MQTT off alone, with the reason in /api/health", async () => {
    const d = folder();
    const certs = makeTestCerts(d);
    const a = await hubOnDisk({ dataDir: d });
    expect(
      (await patch(a.base, { hub: { mqtt: { enabled: true, host: "127.0.0.1", port: 1, tls: { enabled: true, ca_path: certs.ca } } } }))
        .status,
    ).toBe(200);
    await a.stop();
    writeFileSync(certs.ca, "overwritten by mistake");
    const b = await hubOnDisk({ dataDir: d });
    try {
      await Bun.sleep(200);
      const health = (await (await fetch(`${b.base}/api/health`)).json()) as {
        status: string;
        mqtt: { state: string; last_error: string };
      };
      expect(health.mqtt.state).toBe("off");
      expect(health.mqtt.last_error).toContain("no PEM certificate");
    } finally {
      await b.stop();
    }
  });
});

describe("stored settings", () => {
  test("one section out of range falls back alone and is reported; the others (the MQTT password too) stay; saving another section does not overwrite it", async () => {
    const d = folder();
    const a = await hubOnDisk({ dataDir: d });
    expect(
      (
        await patch(a.base, {
          hub: { machine_name: "Kitchen", mqtt: { host: "broker.lan", username: "u", password: "pw-123" }, auto_off: { minutes: 30 } },
        })
      ).status,
    ).toBe(200);
    // An older hub with other limits stored auto_off.minutes = 2 (below today's minimum of 5).
    a.hub.db
      .query("UPDATE settings SET value = $v WHERE scope = 'hub' AND key = 'auto_off'")
      .run({ v: JSON.stringify({ enabled: true, minutes: 2 }) });
    a.hub.db
      .query("INSERT OR REPLACE INTO settings (scope, key, value, updated_at_ms) VALUES ('hub', 'maintenance', 'not json{', 0)")
      .run();
    await a.stop();
    const b = await hubOnDisk({ dataDir: d });
    try {
      const s = b.hub.settings.hubSettings();
      expect(s.machine_name).toBe("Kitchen");
      expect(s.mqtt.password).toBe("pw-123");
      expect(s.auto_off.minutes).toBe(60); // its default, alone
      const health = (await (await fetch(`${b.base}/api/health`)).json()) as { settings_problems: { setting: string; message: string }[] };
      expect(health.settings_problems.map((p) => p.setting).sort()).toEqual(["auto_off", "maintenance"]);
      expect((await patch(b.base, { hub: { machine_name: "Kitchen 2" } })).status).toBe(200);
      const stored = b.hub.db
        .query<{ value: string }, []>("SELECT value FROM settings WHERE scope = 'hub' AND key = 'auto_off'")
        .get()?.value;
      expect(JSON.parse(stored ?? "null")).toEqual({ enabled: true, minutes: 2 }); // not overwritten without the owner
      expect((await patch(b.base, { hub: { auto_off: { minutes: 45 } } })).status).toBe(200);
      const after = (await (await fetch(`${b.base}/api/health`)).json()) as { settings_problems: { setting: string }[] };
      expect(after.settings_problems.map((p) => p.setting)).toEqual(["maintenance"]);
    } finally {
      await b.stop();
    }
  });
});

describe("the hub process", () => {
  test("an HTTPS certificate that went bad before a restart: the hub comes up on HTTP and /api/health says why", async () => {
    const d = folder();
    const certs = makeTestCerts(d);
    const a = await hubOnDisk({ dataDir: d });
    expect((await patch(a.base, { hub: { https: { cert_path: certs.cert, key_path: certs.key } } })).status).toBe(200);
    await a.stop();
    writeFileSync(certs.cert, "garbage");
    const { proc, base } = await spawnHubProcess(d, ["--tcp", "127.0.0.1:1"]);
    try {
      expect(base.startsWith("http://")).toBe(true);
      const port = new URL(base).port;
      const health = (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as {
        settings_problems: { setting: string; message: string }[];
      };
      expect(health.settings_problems.find((p) => p.setting === "https")?.message).toContain("serving plain HTTP");
    } finally {
      proc.kill();
      await proc.exited;
    }
  }, 30_000);
});
