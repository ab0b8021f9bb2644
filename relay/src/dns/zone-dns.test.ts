/**
 * The relay's zone DNS on a real UDP socket, asked with real query packets (no resolver cache in
 * between: Bun's resolver keeps answers for their TTL), and the relay on a real
 * Bun server: addresses come from the names (private ones only), challenge values only from the
 * hub that proved its key — the refused cases printed as a table: a socket that never proved a key,
 * another hub's name, a name outside the zone, a value that is no ACME value, too many values,
 * too many publishes. Nothing refused is ever answered.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createSocket } from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keyPair } from "@brewos/protocol/auth";
import { RELAY_CLOSE } from "@brewos/protocol/relay";
import { acmeChallengeName, lanHostName, TXT_PUBLISHES_PER_HOUR, TXT_VALUES_PER_NAME } from "@brewos/protocol/relay/lan-names";
import * as dnsPacket from "dns-packet";
import { Relay } from "../relay.ts";
import { connectHub, Peer } from "../testing/peer.ts";
import { ZoneDns } from "./zone-dns.ts";

const ZONE = "home.brewos.test";
const dir = mkdtempSync(join(tmpdir(), "brewos-relay-dns-"));
let relay: Relay;
let server: ReturnType<typeof Bun.serve>;
let dns: ZoneDns;
let base = "";
let dnsPort = 0;
const refusals: [string, string][] = [];

beforeAll(async () => {
  relay = new Relay({ dataDir: dir, zone: ZONE });
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: relay.fetch, websocket: relay.websocket });
  base = `ws://127.0.0.1:${server.port}`;
  dns = new ZoneDns({ zone: ZONE, txt: relay.txt, nameServers: [`ns1.${ZONE}`] });
  dnsPort = await dns.listen(0, "127.0.0.1");
});

afterAll(() => {
  console.log(`refused TXT publishing:\n${refusals.map(([what, got]) => `  ${what.padEnd(52)} ${got}`).join("\n")}`);
  dns.stop();
  relay.stop();
  server.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

/** One query over UDP: the answers' data, or the response code when there are none. */
function ask(name: string, type: dnsPacket.RecordType): Promise<unknown[] | string> {
  return new Promise((resolve, reject) => {
    const s = createSocket("udp4");
    const timer = setTimeout(() => {
      s.close();
      reject(new Error(`no DNS answer for ${name}`));
    }, 2000);
    s.on("message", (m) => {
      clearTimeout(timer);
      s.close();
      const r = dnsPacket.decode(m);
      const data = (r.answers ?? []).map((a) => ("data" in a ? a.data : null));
      resolve(
        data.length
          ? data.map((d) => (Array.isArray(d) ? Buffer.concat(d as Buffer[]).toString() : d))
          : ((r as { rcode?: string }).rcode ?? "?"),
      );
    });
    s.send(dnsPacket.encode({ type: "query", id: 7, questions: [{ type, name }] }), dnsPort, "127.0.0.1");
  });
}
const txtOf = (name: string) => ask(name, "TXT");
/** A name with no TXT value: it exists, but has no answer. */
const NONE = "NOERROR";
const value = (n: number) => `${"v".repeat(40)}${String(n).padStart(3, "0")}`;

async function publish(hub: Peer, name: string, v: string): Promise<Record<string, unknown>> {
  const id = `t${Math.random()}`;
  hub.send({ type: "dns_txt", id, name, value: v });
  return hub.until("dns_txt_result", () => hub.text.find((m) => m.type === "dns_txt_result" && m.id === id));
}

describe("the relay's DNS for hubs at home", () => {
  test("addresses are answered from the name alone, private ones only; other names are refused or unknown", async () => {
    const { id } = await connectHub(base);
    expect(await ask(lanHostName("192.168.1.20", id, ZONE), "A")).toEqual(["192.168.1.20"]);
    expect(await ask(lanHostName("192.168.1.20", id, ZONE).toUpperCase(), "A")).toEqual(["192.168.1.20"]); // DNS ignores case
    // An address change is another name under the same wildcard: nothing to update.
    expect(await ask(lanHostName("10.0.7.3", id, ZONE), "A")).toEqual(["10.0.7.3"]);
    expect(await ask(lanHostName("10.0.7.3", id, ZONE), "AAAA")).toBe("NOERROR");
    // Public addresses, malformed ids, names outside the zone: never answered.
    expect(await ask(`8-8-8-8.${id}.${ZONE}`, "A")).toBe("NXDOMAIN");
    // The device's own name has nothing, but names below it: it exists (NODATA, never NXDOMAIN),
    // as does the challenge name without a value, so a CA's resolver keeps looking (and finds no CAA).
    expect(await ask(`${id}.${ZONE}`, "CAA")).toBe("NOERROR");
    expect(await ask(`_acme-challenge.${id}.${ZONE}`, "TXT")).toBe("NOERROR");
    expect(await ask(`192-168-1-20.not-an-id.${ZONE}`, "A")).toBe("NXDOMAIN");
    expect(await ask("example.com", "A")).toBe("REFUSED");
    expect(await ask(ZONE, "NS")).toEqual([`ns1.${ZONE}`]);
    expect(((await ask(ZONE, "SOA")) as { mname: string }[])[0]?.mname).toBe(`ns1.${ZONE}`);
  });

  test("a hub that proved its key publishes its challenge value; every other attempt is refused and never answered", async () => {
    const a = await connectHub(base);
    const b = await connectHub(base, keyPair());
    const mine = acmeChallengeName(a.id, ZONE);
    expect(await publish(a.hub, mine, value(1))).toMatchObject({ ok: true });
    expect(await txtOf(mine)).toEqual([value(1)]);
    // A hub learns the zone from the relay when it connects.
    expect(a.hub.text.find((m) => m.type === "ready")?.dns_zone).toBe(ZONE);

    // A socket that never proved a key: closed, nothing published.
    const stranger = new Peer(`${base}/hub`);
    await stranger.message("challenge");
    stranger.send({ type: "dns_txt", id: "x", name: acmeChallengeName(b.id, ZONE), value: value(9) });
    const closed = await stranger.closedWith();
    expect(closed.code).toBe(RELAY_CLOSE.no_hello);
    refusals.push(["a hub that has not proved its key", `closed ${closed.code} (${closed.reason})`]);

    const cases: [string, Peer, string, string, string][] = [
      ["another hub's challenge name", a.hub, acmeChallengeName(b.id, ZONE), value(2), "not_yours"],
      ["a name outside the zone", a.hub, `_acme-challenge.${a.id}.example.com`, value(3), "not_yours"],
      ["an address name, not the challenge name", a.hub, `192-168-1-20.${a.id}.${ZONE}`, value(4), "not_yours"],
      ["a value that is no ACME value", a.hub, mine, "hello; rm -rf /", "bad_value"],
    ];
    for (const [what, hub, name, v, expected] of cases) {
      const r = await publish(hub, name, v);
      refusals.push([what, `${r.code}: ${r.message}`]);
      expect({ what, code: r.code }).toEqual({ what, code: expected });
    }
    expect(await txtOf(acmeChallengeName(b.id, ZONE))).toEqual(NONE);
    expect(await txtOf(mine)).toEqual([value(1)]);

    // Limits: a few values at once, a few publishes an hour.
    for (let i = 2; i <= TXT_VALUES_PER_NAME; i++) expect((await publish(a.hub, mine, value(10 + i))).ok).toBe(true);
    const many = await publish(a.hub, mine, value(99));
    expect(many.code).toBe("too_many");
    refusals.push([`a ${TXT_VALUES_PER_NAME + 1}th value at once`, `${many.code}: ${many.message}`]);
    a.hub.send({ type: "dns_txt_clear" });
    await Bun.sleep(50);
    expect(await txtOf(mine)).toEqual(NONE);
    let fast: Record<string, unknown> | null = null;
    for (let i = 0; i <= TXT_PUBLISHES_PER_HOUR && !fast; i++) {
      const r = await publish(b.hub, acmeChallengeName(b.id, ZONE), value(100 + i));
      if (!r.ok) fast = r;
      b.hub.send({ type: "dns_txt_clear" });
    }
    expect(fast?.code).toBe("too_fast");
    refusals.push(["more publishes an hour than allowed", `${fast?.code}: ${fast?.message}`]);
    expect(relay.counters.refused.get("txt_not_yours")).toBe(3);
  });
});
