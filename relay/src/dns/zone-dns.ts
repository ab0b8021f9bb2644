/**
 * @module The relay's authoritative DNS for its zone (docs/lan-https.md), over UDP: A records from
 * the name itself (`192-168-1-20.<device-id>.<zone>` → 192.168.1.20, private addresses only, no
 * state), TXT at `_acme-challenge.<device-id>.<zone>` from what that hub published, SOA and NS at
 * the apex. Names under the zone it does not know are NXDOMAIN; names outside it are REFUSED (it
 * is no resolver). Queries are rate-limited per source address.
 */
import { createSocket, type Socket } from "node:dgram";
import { readZoneName } from "@brewos/protocol/relay/lan-names";
import * as dns from "dns-packet";
import type { TxtRecords } from "./txt-records.ts";

const RCODE = { noerror: 0, formerr: 1, nxdomain: 3, notimp: 4, refused: 5 } as const;
/** Short TTLs: challenge values change within a minute; addresses are stateless anyway. */
const TTL_S = { address: 300, txt: 10, apex: 3600 };
const QUERIES_PER_SECOND = 50;

export interface ZoneDnsOptions {
  zone: string;
  txt: TxtRecords;
  /** The name servers of the zone (as the parent zone delegates it), for NS and SOA. */
  nameServers: string[];
  /** Contact for the SOA record, as a name (hostmaster.example.com). */
  hostmaster?: string;
}

export class ZoneDns {
  private socket: Socket | null = null;
  private readonly budget = new Map<string, { tokens: number; at: number }>();
  readonly counters = { queries: 0, refused: 0, limited: 0 };

  constructor(private readonly o: ZoneDnsOptions) {}

  /** The answer to one query packet, or null for what is not a query worth answering. */
  answer(packet: Uint8Array): Uint8Array | null {
    let q: dns.Packet;
    try {
      q = dns.decode(Buffer.from(packet));
    } catch {
      return null;
    }
    if (q.type !== "query") return null;
    this.counters.queries++;
    const question = q.questions?.[0];
    const reply = (rcode: number, answers: dns.Answer[] = [], authorities: dns.Answer[] = []) =>
      new Uint8Array(
        dns.encode({
          type: "response",
          id: q.id ?? 0,
          flags: dns.AUTHORITATIVE_ANSWER | rcode,
          questions: q.questions ?? [],
          answers,
          authorities,
        }),
      );
    if (!question || (q.questions?.length ?? 0) !== 1) return reply(RCODE.formerr);
    if (question.class !== "IN") return reply(RCODE.refused);
    const meaning = readZoneName(question.name, this.o.zone);
    const inZone = meaning !== null || question.name.toLowerCase().replace(/\.$/, "").endsWith(`.${this.o.zone}`);
    if (!inZone) {
      this.counters.refused++;
      return reply(RCODE.refused);
    }
    const soa = [this.soa()];
    if (!meaning) return reply(RCODE.nxdomain, [], soa);
    const name = question.name;
    if (meaning.kind === "apex") {
      if (question.type === "SOA") return reply(RCODE.noerror, soa);
      if (question.type === "NS")
        return reply(
          RCODE.noerror,
          this.o.nameServers.map((ns) => ({ type: "NS", name, ttl: TTL_S.apex, class: "IN", data: ns })),
        );
      return reply(RCODE.noerror, [], soa);
    }
    if (meaning.kind === "device") return reply(RCODE.noerror, [], soa);
    if (meaning.kind === "address") {
      if (question.type === "A") return reply(RCODE.noerror, [{ type: "A", name, ttl: TTL_S.address, class: "IN", data: meaning.ip }]);
      return reply(RCODE.noerror, [], soa); // the name exists; it has no record of that type (AAAA, …)
    }
    if (question.type !== "TXT") return reply(RCODE.noerror, [], soa);
    const values = this.o.txt.lookup(name);
    return reply(
      RCODE.noerror,
      values.map((v) => ({ type: "TXT", name, ttl: TTL_S.txt, class: "IN", data: v })),
      values.length ? [] : soa,
    );
  }

  private soa(): dns.Answer {
    const serial = Math.floor(Date.now() / 1000) >>> 0;
    return {
      type: "SOA",
      name: this.o.zone,
      ttl: TTL_S.apex,
      class: "IN",
      data: {
        mname: this.o.nameServers[0] ?? `ns.${this.o.zone}`,
        rname: this.o.hostmaster ?? `hostmaster.${this.o.zone}`,
        serial,
        refresh: 3600,
        retry: 600,
        expire: 604800,
        minimum: 60,
      },
    };
  }

  /** A source address may ask this many queries a second (a burst of twice that). */
  private allowed(from: string): boolean {
    const t = Date.now();
    const b = this.budget.get(from) ?? { tokens: QUERIES_PER_SECOND * 2, at: t };
    b.tokens = Math.min(QUERIES_PER_SECOND * 2, b.tokens + ((t - b.at) / 1000) * QUERIES_PER_SECOND);
    b.at = t;
    if (this.budget.size > 10_000) this.budget.clear();
    this.budget.set(from, b);
    if (b.tokens < 1) return false;
    b.tokens--;
    return true;
  }

  /** Serve on UDP `host:port`; resolves with the port bound. */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const s = createSocket(host.includes(":") ? "udp6" : "udp4");
      this.socket = s;
      s.once("error", reject);
      s.on("message", (msg, from) => {
        if (!this.allowed(from.address)) {
          this.counters.limited++;
          return;
        }
        const a = this.answer(msg);
        if (a) s.send(a, from.port, from.address);
      });
      s.bind(port, host, () => {
        s.off("error", reject);
        resolve(s.address().port);
      });
    });
  }

  stop(): void {
    this.socket?.close();
    this.socket = null;
  }
}
