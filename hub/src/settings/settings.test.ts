/**
 * Settings over REST with the real simulator and SQLite on disk: validation, the controller's
 * own cross-checks, persistence across a hub restart with a push on reconnect, and secrets that
 * never come back out.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigKey } from "@brewos/protocol/uart";
import { hubOnSim } from "../testing/hub-on-disk.ts";

const SPEED = 50;
const SECRET = "correct-horse-battery-staple";
const dir = mkdtempSync(join(tmpdir(), "brewos-settings-"));
const logs: string[] = [];
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function startHub() {
  const h = await hubOnSim("dual_boiler", { speed: SPEED, dataDir: dir, log: (level, text) => logs.push(`${level} ${text}`) });
  const patch = (body: unknown) =>
    fetch(`${h.base}/api/settings`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  return { ...h, patch };
}

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(10);
  }
}

describe("settings", () => {
  test("validated, refused with reasons, persisted, pushed on reconnect, secrets never answered", async () => {
    const a = await startHub();
    expect((await a.patch("{oops")).status).toBe(400);
    const outOfRange = await a.patch({ controller: { brew_kp_milli: -1 } });
    expect(outOfRange.status).toBe(400);
    expect(((await outOfRange.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe("controller.brew_kp_milli");
    const unknown = await a.patch({ hub: { colour: "red" } });
    expect(unknown.status).toBe(400);
    const factoryOnly = await a.patch({ controller: { machine_type: 2 } });
    expect(factoryOnly.status).toBe(400);

    // MQTT sends no password without a user name: refused at the door, not a silent non-connection.
    const noUser = await a.patch({ hub: { mqtt: { host: "127.0.0.1", password: SECRET } } });
    expect(noUser.status).toBe(400);
    expect(((await noUser.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe("hub.mqtt.username");
    const ok = await a.patch({
      hub: { machine_name: "Kitchen", mqtt: { host: "127.0.0.1", username: "brewos", password: SECRET } },
      controller: { eco_timeout_s: 600 },
    });
    expect(ok.status).toBe(200);
    const okBody = await ok.text();
    expect(okBody).not.toContain(SECRET);
    expect(JSON.parse(okBody)).toMatchObject({
      pushed_to_controller: true,
      settings: { hub: { machine_name: "Kitchen", mqtt: { host: "127.0.0.1", password_set: true } }, controller: { eco_timeout_s: 600 } },
    });
    await until("config report", () => a.hub.link.config.get(ConfigKey.eco_timeout_s) === 600);
    const form = (await (await fetch(`${a.base}/api/settings/controller`)).json()) as {
      keys: { name: string; min: number; max: number; value: number; source: string }[];
    };
    expect(form.keys.find((k) => k.name === "eco_timeout_s")).toMatchObject({ value: 600, source: "hub" });
    expect(form.keys.find((k) => k.name === "brew_heater_w")).toMatchObject({ value: 1200, source: "controller", min: 0, max: 3500 });
    expect(form.keys.some((k) => k.name === "machine_type")).toBe(false); // factory-only keys are not offered
    // A partial patch changes only what it names: the broker address stays when only the password changes.
    expect((await a.patch({ hub: { mqtt: { port: 1884, enabled: true, password: SECRET } } })).status).toBe(200);
    expect((await a.patch({ hub: { mqtt: { password: "another" }, maintenance: { descale_every_days: 90 } } })).status).toBe(200);
    expect(a.hub.settings.hubSettings().mqtt).toMatchObject({ host: "127.0.0.1", port: 1884, enabled: true, password: "another" });
    expect(a.hub.settings.hubSettings().maintenance).toMatchObject({ descale_every_days: 90, backflush_every_shots: 100 });
    expect((await a.patch({ hub: { mqtt: { enabled: false, password: SECRET } } })).status).toBe(200);
    const weekdays = { id: 1, days: ["mon", "tue", "wed", "thu", "fri"], time: "06:30", action: "on" };
    expect((await a.patch({ hub: { schedules: [weekdays], auto_off: { minutes: 90 } } })).status).toBe(200);
    expect((await a.patch({ hub: { schedules: [{ ...weekdays, time: "6:30pm" }] } })).status).toBe(400);
    const withSchedule = a.hub.settings.hubSettings();
    expect(withSchedule.schedules).toEqual([{ ...weekdays, name: "", enabled: true }] as typeof withSchedule.schedules);
    expect(withSchedule.auto_off).toEqual({ enabled: true, minutes: 90 });

    // The controller's own cross-check (heaters against the mains circuit) refuses; nothing is kept.
    const tooMuch = await a.patch({
      hub: { machine_name: "Changed" },
      controller: { brew_heater_w: 3500, steam_heater_w: 3500, mains_current_limit_ma: 1000 },
    });
    expect(tooMuch.status).toBe(409);
    expect(((await tooMuch.json()) as { error: { message: string } }).error.message).toContain("refused");
    const after = (await (await fetch(`${a.base}/api/settings`)).json()) as {
      hub: { machine_name: string };
      controller: Record<string, number>;
    };
    expect(after.hub.machine_name).toBe("Kitchen");
    expect(after.controller.brew_heater_w).toBeUndefined();

    for (const path of ["/api/settings", "/api/health", "/api/info", "/api/state"]) {
      expect(await (await fetch(`${a.base}${path}`)).text()).not.toContain(SECRET);
    }
    await a.stop();

    // A new hub process on the same data and a freshly booted controller: the value returns and is pushed.
    const b = await startHub();
    const view = (await (await fetch(`${b.base}/api/settings`)).json()) as {
      hub: { machine_name: string; mqtt: { password_set: boolean } };
    };
    expect(view.hub).toMatchObject({ machine_name: "Kitchen", mqtt: { password_set: true } });
    await until("pushed on connect", () => b.hub.link.config.get(ConfigKey.eco_timeout_s) === 600);
    expect(b.hub.settings.hubSettings().mqtt.password).toBe(SECRET); // kept for the hub's own use
    await b.stop();
    expect(logs.join("\n")).not.toContain(SECRET);
    // At rest: no file of the data folder holds the password in clear; every file is the hub's alone.
    for (const f of readdirSync(dir)) {
      const path = join(dir, f);
      expect({ f, mode: statSync(path).mode & 0o777 }).toEqual({ f, mode: 0o600 });
      expect(readFileSync(path).includes(Buffer.from(SECRET))).toBe(false);
    }
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  }, 60000);

  test("a new broker never gets the stored password: the change is refused until it is entered again", async () => {
    const seen: Buffer[] = [];
    const fake = createServer((sock) => sock.on("data", (d) => seen.push(Buffer.from(d))));
    await new Promise<void>((r) => fake.listen(0, "127.0.0.1", () => r()));
    const fakePort = (fake.address() as { port: number }).port;
    // The broker the password was entered for (it takes the connection and never answers).
    const first = createServer(() => {});
    await new Promise<void>((r) => first.listen(0, "127.0.0.1", () => r()));
    const firstPort = (first.address() as { port: number }).port;
    const own = mkdtempSync(join(tmpdir(), "brewos-mqtt-dest-"));
    const h = await hubOnSim("dual_boiler", { speed: SPEED, dataDir: own });
    const patch = (body: unknown) =>
      fetch(`${h.base}/api/settings`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    try {
      expect(
        (await patch({ hub: { mqtt: { enabled: true, host: "127.0.0.1", port: firstPort, username: "brewos", password: SECRET } } }))
          .status,
      ).toBe(200);
      const moved = await patch({ hub: { mqtt: { port: fakePort } } });
      expect(moved.status).toBe(400);
      expect(((await moved.json()) as { error: { code: string } }).error.code).toBe("secret_required");
      const renamed = await patch({ hub: { mqtt: { host: "localhost" } } });
      expect(renamed.status).toBe(400);
      await Bun.sleep(1500); // would the bridge have dialled the new broker anyway?
      expect(Buffer.concat(seen).length).toBe(0);
      // Entered again for the new broker: accepted, and only the new password is sent there.
      expect((await patch({ hub: { mqtt: { port: fakePort, password: "for-the-new-broker" } } })).status).toBe(200);
      const deadline = Date.now() + 10000;
      while (!Buffer.concat(seen).includes(Buffer.from("for-the-new-broker")) && Date.now() < deadline) await Bun.sleep(20);
      expect(Buffer.concat(seen).includes(Buffer.from("for-the-new-broker"))).toBe(true);
      expect(Buffer.concat(seen).includes(Buffer.from(SECRET))).toBe(false);
    } finally {
      await h.stop();
      fake.close();
      first.close();
      rmSync(own, { recursive: true, force: true });
    }
  }, 60000);
});
