/** mDNS records built byte by byte and read back with an independent reader; nothing is sent. */
import { describe, expect, test } from "bun:test";
import { buildAnnouncement, instanceLabel, MdnsAdvertiser, type MdnsService, questionNames } from "./mdns.ts";

const service: MdnsService = {
  hostname: "brewos",
  instance: "Kitchen espresso",
  port: 8443,
  ipv4: "192.168.1.42",
  https: true,
  txt: { path: "/", version: "0.1.0" },
};

/** A plain DNS reader (names without compression, as we write them). */
function read(p: Uint8Array) {
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  let i = 12;
  const nameAt = () => {
    const labels: string[] = [];
    for (let len = p[i++] ?? 0; len !== 0; len = p[i++] ?? 0) {
      labels.push(new TextDecoder().decode(p.subarray(i, i + len)));
      i += len;
    }
    return labels.join(".");
  };
  const records = [];
  for (let r = 0; r < v.getUint16(6); r++) {
    const owner = nameAt();
    const type = v.getUint16(i);
    const cls = v.getUint16(i + 2);
    const ttl = v.getUint32(i + 4);
    const len = v.getUint16(i + 8);
    i += 10;
    const start = i;
    const rdata = p.subarray(i, i + len);
    let value: unknown = rdata;
    if (type === 12) value = nameAt();
    if (type === 33) {
      const port = v.getUint16(i + 4);
      i += 6;
      value = { port, target: nameAt() };
    }
    if (type === 1) value = Array.from(rdata).join(".");
    if (type === 16) {
      const parts: string[] = [];
      for (let k = 0; k < rdata.length; k += (rdata[k] ?? 0) + 1)
        parts.push(new TextDecoder().decode(rdata.subarray(k + 1, k + 1 + (rdata[k] ?? 0))));
      value = parts;
    }
    i = start + len;
    records.push({ owner, type, flush: (cls & 0x8000) !== 0, cls: cls & 0x7fff, ttl, value });
  }
  return { flags: v.getUint16(2), questions: v.getUint16(4), records, rest: p.length - i };
}

describe("mDNS advertisement", () => {
  test("announces the host and an _https._tcp service with port, target and TXT", () => {
    const r = read(buildAnnouncement(service));
    expect(r.flags).toBe(0x8400);
    expect(r.questions).toBe(0);
    expect(r.rest).toBe(0);
    expect(r.records).toEqual([
      { owner: "_https._tcp.local", type: 12, flush: false, cls: 1, ttl: 4500, value: "Kitchen espresso._https._tcp.local" },
      {
        owner: "Kitchen espresso._https._tcp.local",
        type: 33,
        flush: true,
        cls: 1,
        ttl: 120,
        value: { port: 8443, target: "brewos.local" },
      },
      { owner: "Kitchen espresso._https._tcp.local", type: 16, flush: true, cls: 1, ttl: 4500, value: ["path=/", "version=0.1.0"] },
      { owner: "brewos.local", type: 1, flush: true, cls: 1, ttl: 120, value: "192.168.1.42" },
    ]);
  });

  test("recognises queries for our names and ignores responses", () => {
    const query = Uint8Array.from([
      0,
      0,
      0,
      0,
      0,
      1,
      0,
      0,
      0,
      0,
      0,
      0,
      6,
      ...new TextEncoder().encode("BrewOS"),
      5,
      ...new TextEncoder().encode("local"),
      0,
      0,
      1,
      0,
      1,
    ]);
    expect(questionNames(query)).toEqual(["brewos.local"]);
    expect(questionNames(buildAnnouncement(service))).toEqual([]);
    expect(questionNames(new Uint8Array(5))).toEqual([]);
  });

  test("bad names and addresses are refused", () => {
    expect(() => buildAnnouncement({ ...service, hostname: "x".repeat(64) })).toThrow(/1..63/);
    expect(() => buildAnnouncement({ ...service, ipv4: "300.1.1.1" })).toThrow(/IPv4/);
  });
});

describe("machine names as instance labels", () => {
  test("non-Latin and long names are cut at a character boundary to 63 bytes; the announcement builds", () => {
    for (const machine of [
      "☕".repeat(40),
      "Кофемашина на кухне у окна, большая и красивая",
      "家のエスプレッソマシン".repeat(3),
      "é".repeat(40),
      " \u0007 ",
      "🙂".repeat(40),
    ]) {
      const label = instanceLabel(machine);
      expect(new TextEncoder().encode(label).length).toBeLessThanOrEqual(63);
      expect(label.length).toBeGreaterThan(0);
      expect(label).not.toContain("\uFFFD");
      expect(
        () => new MdnsAdvertiser({ hostname: "brewos", instance: machine, port: 8080, ipv4: "192.168.1.20", https: false, txt: {} }),
      ).not.toThrow();
    }
    expect(instanceLabel(" \u0007 ")).toBe("BrewOS");
    expect(instanceLabel("Kitchen")).toBe("Kitchen");
  });
});
