/**
 * @module HTTPS at home (docs/lan-https.md): the hub's certificate (lan-certificate.ts) served on
 * its own port at `https://192-168-1-20.<device-id>.<zone>:PORT`, a trusted origin where the app
 * installs, works offline and may use Web Bluetooth. A renewed certificate starts a second
 * listener on the same port (SO_REUSEPORT) and lets the old one finish its connections, so nothing
 * drops. Whether phones can resolve the name is checked against the resolver they use: home
 * routers with DNS-rebinding protection drop private answers for public names, and then the hub
 * does not send anyone there (the app shows the owner how to allow it).
 */
import { Resolver } from "node:dns/promises";
import { lanHostName } from "@brewos/protocol/relay/lan-names";
import type { IssuedCertificate, LanCertificate } from "./lan-certificate.ts";

export type NameCheck = "unchecked" | "ok" | "rebinding_suspected";

export interface LanHttpsOptions {
  certificate: LanCertificate;
  deviceId: string;
  port: number;
  hostname: string;
  /** The hub's HTTP handlers, served over TLS too. */
  serve: { fetch: (request: Request, server: never) => Response | Promise<Response>; websocket: object; maxRequestBodySize?: number };
  /** The hub's private IPv4 addresses, best first. */
  addresses: () => string[];
  /** The resolver the phones use (`host:port`); default: this board's own. */
  resolver?: string;
  checkEveryMs?: number;
  log?: (level: "info" | "warn", text: string) => void;
}

export class LanHttps {
  private server: ReturnType<typeof Bun.serve> | null = null;
  private check: NameCheck = "unchecked";
  private checkedName: string | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly resolver = new Resolver({ timeout: 3000, tries: 2 });

  constructor(private readonly o: LanHttpsOptions) {
    if (o.resolver) this.resolver.setServers([o.resolver]);
  }

  /** A new certificate: serve it (a second listener, then the old one winds down). */
  use(c: IssuedCertificate): void {
    const old = this.server;
    try {
      this.server = Bun.serve({
        port: this.o.port,
        hostname: this.o.hostname,
        reusePort: true,
        tls: { cert: c.cert, key: c.key },
        ...this.o.serve,
      } as unknown as Parameters<typeof Bun.serve>[0]);
    } catch (e) {
      // The certificate is fine; the port is not (taken by another program): say so, keep what runs.
      this.o.log?.("warn", `HTTPS at home: cannot listen on port ${this.o.port}: ${(e as Error).message}`);
      return;
    }
    old?.stop(false);
    this.o.log?.("info", `HTTPS at home: serving ${c.name} on port ${this.o.port}`);
    void this.checkName();
    this.timer ??= setInterval(() => void this.checkName(), this.o.checkEveryMs ?? 10 * 60_000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.server?.stop(true);
    this.server = null;
  }

  /** This hub's name for one of its addresses (the first one by default), or null without a certificate. */
  nameFor(ip?: string): string | null {
    const zone = this.o.certificate.status().zone;
    const addr = ip ?? this.o.addresses()[0];
    if (!zone || !addr || !this.o.certificate.certificate()) return null;
    try {
      return lanHostName(addr, this.o.deviceId, zone);
    } catch {
      return null;
    }
  }

  private originOf(name: string): string {
    return `https://${name}${this.o.port === 443 ? "" : `:${this.o.port}`}`;
  }

  hostNames(): string[] {
    return this.o.addresses().flatMap((ip) => this.nameFor(ip) ?? []);
  }

  /** Where to send a browser that asked at `host` over plain HTTP; null: stay (no certificate, or phones cannot resolve the name). */
  secureOrigin(host: string): string | null {
    if (!this.server || this.check !== "ok") return null;
    const hostname = host.replace(/:\d+$/, "");
    const name = this.nameFor(this.o.addresses().includes(hostname) ? hostname : undefined);
    return name ? this.originOf(name) : null;
  }

  status() {
    const name = this.nameFor();
    return {
      ...this.o.certificate.status(),
      serving: this.server !== null,
      port: this.o.port,
      origin: name ? this.originOf(name) : null,
      name_check: this.check,
      checked_name: this.checkedName,
    };
  }

  /** Can the name be resolved to this hub's address by the resolver phones use? */
  async checkName(): Promise<NameCheck> {
    const name = this.nameFor();
    if (!name) return this.check;
    const want = this.o.addresses()[0];
    const got = await this.resolver.resolve4(name).catch(() => [] as string[]);
    const next: NameCheck = want && got.includes(want) ? "ok" : "rebinding_suspected";
    if (next !== this.check) {
      this.o.log?.(
        next === "ok" ? "info" : "warn",
        next === "ok"
          ? `HTTPS at home: ${name} resolves here; browsers on the LAN are sent to it`
          : `HTTPS at home: ${name} does not resolve to ${want} (got ${got.join(", ") || "nothing"}): the router may block private answers (DNS rebinding protection); staying on plain HTTP`,
      );
    }
    this.check = next;
    this.checkedName = name;
    return next;
  }
}
