/**
 * The Wi-Fi routes on a real hub (SQLite on disk) against a fake NetworkManager on a private
 * dbus-daemon: the scan, a join refused for its password, an unknown network, a bad body that never
 * reaches NetworkManager, the join that works and its address; a hub without NetworkManager says
 * so.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { networkManagerWifi } from "../net/wifi.ts";
import { privateBus } from "../testing/fake-bluez.ts";
import { FakeNetworkManager } from "../testing/fake-network-manager.ts";
import { hubOnDisk } from "../testing/hub-on-disk.ts";
import { type PairedTestApp, pairTestApp } from "../testing/paired-app.ts";

const NETWORKS = [
  { ssid: "Kitchen", strength: 82, password: "espresso-2026" },
  { ssid: "Neighbours", strength: 40, password: "not-yours-123" },
  { ssid: "Café guest", strength: 61, password: null },
];

let bus: Awaited<ReturnType<typeof privateBus>>;
let nm: FakeNetworkManager;
let h: Awaited<ReturnType<typeof hubOnDisk>>;
let app: PairedTestApp;
const post = (body: unknown) => app.call("/api/network/wifi", { method: "POST", body: JSON.stringify(body) });

beforeAll(async () => {
  bus = await privateBus();
  nm = await FakeNetworkManager.start(bus.address, NETWORKS);
  h = await hubOnDisk({ wifi: networkManagerWifi({ busAddress: bus.address, scanWaitMs: 50, joinTimeoutMs: 3000 }) });
  app = await pairTestApp(h);
});
afterAll(async () => {
  await h?.stop();
  nm?.stop();
  bus?.stop();
});

describe("Wi-Fi on the hub's board", () => {
  test("the networks in range, strongest first, after a scan", async () => {
    const scansBefore = nm.scans;
    const r = await app.call("/api/network/wifi");
    expect(r.status).toBe(200);
    const { networks } = (await r.json()) as { networks: { ssid: string; secure: boolean; signal_pct: number; in_use: boolean }[] };
    expect(networks.map((n) => n.ssid)).toEqual(["Kitchen", "Café guest", "Neighbours"]);
    expect(networks.find((n) => n.ssid === "Café guest")?.secure).toBe(false);
    expect(networks.find((n) => n.ssid === "Kitchen")).toMatchObject({ secure: true, signal_pct: 82, in_use: false });
    expect(nm.scans).toBe(scansBefore + 1);
  });

  test("refused: a wrong password (and it is never echoed), a network not in range, a body NetworkManager never sees", async () => {
    const wrong = await post({ ssid: "Kitchen", password: "latte-1234" });
    expect(wrong.status).toBe(422);
    const text = await wrong.text();
    expect(JSON.parse(text).error.code).toBe("wrong_password");
    expect(text).not.toContain("latte-1234");
    expect(nm.joins.at(-1)).toEqual({ ssid: "Kitchen", psk: "latte-1234" });

    const away = await post({ ssid: "Office", password: "whatever-123" });
    expect(away.status).toBe(422);
    expect((await away.json()).error.code).toBe("not_found");

    const joinsBefore = nm.joins.length;
    for (const bad of [{ ssid: "Kitchen", password: "short" }, { ssid: "" }, { ssid: "x".repeat(33) }, { ssid: "Kitchen", extra: 1 }]) {
      const r = await post(bad);
      expect(r.status).toBe(400);
    }
    expect(nm.joins.length).toBe(joinsBefore);
  });

  test("joins with the right password and answers the address it got; an open network needs none", async () => {
    const r = await post({ ssid: "Kitchen", password: "espresso-2026" });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ssid: "Kitchen", address: "192.168.1.57" });
    const listed = (await (await app.call("/api/network/wifi")).json()) as { networks: { ssid: string; in_use: boolean }[] };
    expect(listed.networks.find((n) => n.in_use)?.ssid).toBe("Kitchen");
    expect((await post({ ssid: "Café guest" })).status).toBe(200);
  });

  test("a hub without NetworkManager says so (unpaired callers: hub/src/auth/auth.test.ts)", async () => {
    const none = await hubOnDisk();
    const empty = await privateBus();
    const unreachable = await hubOnDisk({ wifi: networkManagerWifi({ busAddress: empty.address, scanWaitMs: 10 }) });
    try {
      for (const hub of [none, unreachable]) {
        const p = await pairTestApp(hub);
        const r = await p.call("/api/network/wifi");
        expect(r.status).toBe(409);
        expect((await r.json()).error.code).toBe("no_wifi");
      }
    } finally {
      await none.stop();
      await unreachable.stop();
      empty.stop();
    }
  });
});
