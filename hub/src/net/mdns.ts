/**
 * @module mDNS (RFC 6762) and DNS-SD (RFC 6763) advertisement of the hub as `<hostname>.local`
 * and as an `_http._tcp` (or `_https._tcp`) service, so phones find it without an IP address.
 * `buildAnnouncement` makes the response packet (pure, tested byte by byte); `MdnsAdvertiser` sends
 * it to 224.0.0.251:5353 at start (twice, 1 s apart, as the RFC asks) and answers queries for our
 * names. Only started by the hub process when the `mdns.enabled` setting is on.
 */
import { createSocket, type Socket } from "node:dgram";

export interface MdnsService {
  /** Host label, e.g. "brewos" for brewos.local. */
  hostname: string;
  /** Instance name shown in service browsers, e.g. "Kitchen espresso". */
  instance: string;
  port: number;
  ipv4: string;
  https: boolean;
  txt: Record<string, string>;
}

const TYPE = { A: 1, PTR: 12, TXT: 16, SRV: 33 } as const;
const CLASS_IN = 1;
const CACHE_FLUSH = 0x8000;
const HOST_TTL_S = 120;
const SERVICE_TTL_S = 4500;

/**
 * A service instance name as one DNS label: UTF-8 is allowed there, but at most 63 bytes, so a
 * long or non-Latin machine name is cut at a character boundary (never refused: it is a label
 * for people browsing the network). Control characters become spaces; empty falls back.
 */
export function instanceLabel(text: string, fallback = "BrewOS"): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, " ").trim();
  let out = "";
  let bytes = 0;
  for (const ch of clean) {
    const n = new TextEncoder().encode(ch).length;
    if (bytes + n > 63) break;
    out += ch;
    bytes += n;
  }
  return out.trim() || fallback;
}

function name(labels: string[]): number[] {
  const out: number[] = [];
  for (const l of labels) {
    const b = new TextEncoder().encode(l);
    if (b.length === 0 || b.length > 63) throw new RangeError(`DNS label "${l}" must be 1..63 bytes`);
    out.push(b.length, ...b);
  }
  out.push(0);
  return out;
}

const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

function record(owner: number[], type: number, unique: boolean, ttl: number, rdata: number[]): number[] {
  return [...owner, ...u16(type), ...u16(CLASS_IN | (unique ? CACHE_FLUSH : 0)), ...u32(ttl), ...u16(rdata.length), ...rdata];
}

/** Service type labels, e.g. ["_http", "_tcp", "local"]. */
export function serviceType(s: MdnsService): string[] {
  return [s.https ? "_https" : "_http", "_tcp", "local"];
}

/** The unsolicited response that announces host and service (RFC 6762 §8.3). */
export function buildAnnouncement(s: MdnsService): Uint8Array {
  const host = name([s.hostname, "local"]);
  const type = name(serviceType(s));
  const inst = name([s.instance, ...serviceType(s)]);
  const ip = s.ipv4.split(".").map(Number);
  if (ip.length !== 4 || ip.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) throw new RangeError(`not an IPv4 address: ${s.ipv4}`);
  const txt = Object.entries(s.txt).flatMap(([k, v]) => {
    const b = new TextEncoder().encode(`${k}=${v}`);
    if (b.length > 255) throw new RangeError(`TXT entry ${k} is longer than 255 bytes`);
    return [b.length, ...b];
  });
  const answers = [
    record(type, TYPE.PTR, false, SERVICE_TTL_S, inst),
    record(inst, TYPE.SRV, true, HOST_TTL_S, [...u16(0), ...u16(0), ...u16(s.port), ...host]),
    record(inst, TYPE.TXT, true, SERVICE_TTL_S, txt.length ? txt : [0]),
    record(host, TYPE.A, true, HOST_TTL_S, ip),
  ];
  // Header: id 0, flags = response + authoritative, no questions, 4 answers.
  const header = [...u16(0), ...u16(0x8400), ...u16(0), ...u16(answers.length), ...u16(0), ...u16(0)];
  return Uint8Array.from([...header, ...answers.flat()]);
}

/** Names asked for in a query packet (no compression pointers followed past the question). */
export function questionNames(packet: Uint8Array): string[] {
  if (packet.length < 12 || (packet[2] ?? 0) & 0x80) return []; // too short, or a response
  const count = ((packet[4] ?? 0) << 8) | (packet[5] ?? 0);
  const names: string[] = [];
  let i = 12;
  for (let q = 0; q < count && i < packet.length; q++) {
    const labels: string[] = [];
    for (;;) {
      const len = packet[i++] ?? 0;
      if (len === 0) break;
      if (len >= 0xc0) {
        i++; // a compression pointer ends the name; we do not need the rest for matching
        break;
      }
      labels.push(new TextDecoder().decode(packet.subarray(i, i + len)));
      i += len;
    }
    i += 4; // type, class
    names.push(labels.join(".").toLowerCase());
  }
  return names;
}

export class MdnsAdvertiser {
  private socket: Socket | null = null;
  private readonly packet: Uint8Array;
  private readonly ours: Set<string>;

  private readonly s: MdnsService;

  constructor(service: MdnsService) {
    this.s = { ...service, instance: instanceLabel(service.instance) };
    const s = this.s;
    this.packet = buildAnnouncement(s);
    this.ours = new Set(
      [`${s.hostname}.local`, serviceType(s).join("."), [s.instance, ...serviceType(s)].join(".")].map((x) => x.toLowerCase()),
    );
  }

  start(log?: (level: "info" | "warn", text: string) => void): void {
    const sock = createSocket({ type: "udp4", reuseAddr: true });
    sock.on("error", (e) => log?.("warn", `mDNS: ${e.message}`));
    sock.on("message", (msg) => {
      if (questionNames(new Uint8Array(msg)).some((n) => this.ours.has(n))) this.send();
    });
    sock.bind(5353, () => {
      try {
        sock.addMembership("224.0.0.251");
        sock.setMulticastTTL(255);
      } catch (e) {
        log?.("warn", `mDNS: ${(e as Error).message}`);
      }
      this.send();
      setTimeout(() => this.send(), 1000);
      log?.("info", `mDNS: advertising ${this.s.hostname}.local (${this.s.ipv4}:${this.s.port})`);
    });
    this.socket = sock;
  }

  stop(): void {
    this.socket?.close();
    this.socket = null;
  }

  private send(): void {
    this.socket?.send(this.packet, 5353, "224.0.0.251");
  }
}
