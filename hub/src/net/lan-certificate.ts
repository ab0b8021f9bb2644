/**
 * @module The hub's own certificate for HTTPS at home (docs/lan-https.md): a wildcard for
 * `*.<device-id>.<zone>` from an ACME CA (Let's Encrypt by default) by DNS-01, the challenge value
 * published by the relay that knows this hub's key. The private key is made here and never leaves
 * the data folder; so is the ACME account key. Renewed when two thirds of its life are gone
 * (lifetimes fall to 47 days by 2029), checked hourly; each new certificate is handed to
 * `onCertificate`, which swaps it in without dropping connections. A failed attempt is retried
 * with backoff and reported in `status()`, never fatal: the hub goes on serving plain HTTP.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { acmeChallengeName, lanWildcard } from "@brewos/protocol/relay/lan-names";
import * as acme from "acme-client";
import { Backoff } from "../controller-link/backoff.ts";

export const LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory";
/** Renew once this share of the certificate's life is gone. */
export const RENEW_AFTER_FRACTION = 2 / 3;

export interface IssuedCertificate {
  cert: string;
  key: string;
  /** The wildcard it covers. */
  name: string;
  notBeforeMs: number;
  notAfterMs: number;
}

/** How the challenge value reaches DNS: through the relay link. */
export interface ChallengePublisher {
  publishTxt(name: string, value: string): Promise<void>;
  clearTxt(value?: string): void;
}

export interface LanCertificateOptions {
  /** The hub's data folder (the keys and the certificate live in its `lan-https/`). */
  dataDir: string;
  deviceId: string;
  dns: ChallengePublisher;
  directoryUrl?: string;
  /** How often to look whether renewal is due. */
  checkEveryMs?: number;
  onCertificate: (c: IssuedCertificate) => void;
  now?: () => number;
  log?: (level: "info" | "warn", text: string) => void;
}

export type LanCertificateState = "waiting_for_relay" | "issuing" | "valid" | "failed";

export class LanCertificate {
  private readonly dir: string;
  private zone: string | null = null;
  private current: IssuedCertificate | null = null;
  private state: LanCertificateState = "waiting_for_relay";
  private lastError: string | null = null;
  private running: Promise<void> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;
  /** After a failure, no new attempt before this (the CA is not hammered). */
  private notBeforeMs = 0;
  private readonly backoff = new Backoff({ initialMs: 30_000, maxMs: 6 * 3_600_000 });
  private readonly now: () => number;

  constructor(private readonly o: LanCertificateOptions) {
    this.dir = join(o.dataDir, "lan-https");
    this.now = o.now ?? Date.now;
    this.current = this.load();
    // A certificate kept from an earlier run names its zone: serve it before the relay is back.
    const prefix = `*.${o.deviceId}.`;
    if (this.current?.name.startsWith(prefix)) {
      this.zone = this.current.name.slice(prefix.length);
      this.state = "valid";
    }
  }

  /** The zone the relay gives this hub a name under (on every relay connect). */
  setZone(zone: string): void {
    this.zone = zone;
    if (this.current && this.current.name !== lanWildcard(this.o.deviceId, zone)) this.current = null; // another zone: issue anew
    this.timer ??= setInterval(() => void this.check(), this.o.checkEveryMs ?? 3_600_000);
    void this.check();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.retry) clearTimeout(this.retry);
    this.timer = null;
  }

  certificate(): IssuedCertificate | null {
    return this.current && this.current.notAfterMs > this.now() ? this.current : null;
  }

  status(): {
    state: LanCertificateState;
    zone: string | null;
    name: string | null;
    not_after_ms: number | null;
    renew_at_ms: number | null;
    last_error: string | null;
  } {
    const c = this.certificate();
    return {
      state: this.state,
      zone: this.zone,
      name: c?.name ?? null,
      not_after_ms: c?.notAfterMs ?? null,
      renew_at_ms: c ? renewAt(c) : null,
      last_error: this.lastError,
    };
  }

  /** Issue or renew when due (one attempt at a time). */
  check(): Promise<void> {
    if (!this.zone || this.now() < this.notBeforeMs) return Promise.resolve();
    const c = this.certificate();
    if (c && this.now() < renewAt(c)) {
      this.state = "valid";
      return Promise.resolve();
    }
    this.running ??= this.issue(this.zone).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async issue(zone: string): Promise<void> {
    const renewing = this.certificate() !== null;
    if (!renewing) this.state = "issuing";
    const name = lanWildcard(this.o.deviceId, zone);
    try {
      mkdirSync(this.dir, { recursive: true });
      const accountKey = await this.keyFile("account.pem");
      const key = await this.keyFile("key.pem");
      // The account is registered once per CA; its URL is kept so later orders reuse it.
      const directoryUrl = this.o.directoryUrl ?? LETS_ENCRYPT;
      const urlFile = join(this.dir, "account.url");
      const [savedFor, savedUrl] = existsSync(urlFile) ? readFileSync(urlFile, "utf8").split("\n") : [];
      const accountUrl = savedFor === directoryUrl && savedUrl ? savedUrl : undefined;
      const client = new acme.Client({
        directoryUrl,
        accountKey,
        ...(accountUrl ? { accountUrl } : {}),
      });
      const [, csr] = await acme.crypto.createCsr({ altNames: [name] }, key);
      const challengeName = acmeChallengeName(this.o.deviceId, zone);
      const cert = await client.auto({
        csr,
        termsOfServiceAgreed: true,
        challengePriority: ["dns-01"],
        // The relay answers the zone itself; asking a resolver first would only wait for caches.
        skipChallengeVerification: true,
        challengeCreateFn: async (_authz, challenge, keyAuthorization) => {
          if (challenge.type !== "dns-01") throw new Error(`the CA offered ${challenge.type}, not dns-01`);
          await this.o.dns.publishTxt(challengeName, keyAuthorization);
        },
        challengeRemoveFn: async (_authz, _challenge, keyAuthorization) => this.o.dns.clearTxt(keyAuthorization),
      });
      if (!accountUrl) this.atomicWrite("account.url", `${directoryUrl}\n${client.getAccountUrl()}`);
      const issued = readIssued(cert, key.toString());
      this.atomicWrite("cert.pem", cert);
      this.current = issued;
      this.state = "valid";
      this.lastError = null;
      this.backoff.reset();
      this.o.log?.(
        "info",
        `HTTPS at home: ${renewing ? "renewed" : "got"} a certificate for ${name}, valid until ${new Date(issued.notAfterMs).toISOString()}`,
      );
      this.o.onCertificate(issued);
    } catch (e) {
      this.lastError = (e as Error).message;
      this.state = this.certificate() ? "valid" : "failed";
      const wait = this.backoff.next();
      this.notBeforeMs = this.now() + wait;
      this.o.log?.("warn", `HTTPS at home: no certificate for ${name} (${this.lastError}); trying again in ${Math.round(wait / 1000)} s`);
      if (this.retry) clearTimeout(this.retry);
      this.retry = setTimeout(() => void this.check(), wait);
    }
  }

  /** A private key made once and kept (owner-only). */
  private async keyFile(file: string): Promise<Buffer> {
    const path = join(this.dir, file);
    if (existsSync(path)) return readFileSync(path);
    const key = await acme.crypto.createPrivateEcdsaKey("P-256");
    this.atomicWrite(file, key.toString());
    chmodSync(path, 0o600);
    return key;
  }

  private atomicWrite(file: string, text: string): void {
    const path = join(this.dir, file);
    writeFileSync(`${path}.tmp`, text, { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  }

  /** The certificate kept from an earlier run, if it is whole and matches the key. */
  private load(): IssuedCertificate | null {
    try {
      const cert = readFileSync(join(this.dir, "cert.pem"), "utf8");
      const key = readFileSync(join(this.dir, "key.pem"), "utf8");
      return readIssued(cert, key);
    } catch {
      return null;
    }
  }
}

/** When a certificate is due for renewal. */
export const renewAt = (c: IssuedCertificate): number => c.notBeforeMs + (c.notAfterMs - c.notBeforeMs) * RENEW_AFTER_FRACTION;

function readIssued(cert: string, key: string): IssuedCertificate {
  const leaf = new X509Certificate(cert);
  if (!leaf.checkPrivateKey(createPrivateKey(key))) throw new Error("the certificate does not match the hub's key");
  const name = /DNS:([^,\s]+)/.exec(leaf.subjectAltName ?? "")?.[1] ?? "";
  return { cert, key, name, notBeforeMs: Date.parse(leaf.validFrom), notAfterMs: Date.parse(leaf.validTo) };
}
