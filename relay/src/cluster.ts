/**
 * @module Several relay instances as one (docs/remote.md, "Scale out"): Redis says which instance
 * each hub is connected to (a key per hub, refreshed while it stays, gone 60 s after an instance
 * dies) and keeps the hubs' public keys for tickets and the accounts' claims; pub/sub carries what crosses instances — an
 * app on instance B joining a hub on A, the frames of that session both ways, its end — gathered
 * per instance into one message each time the event loop turns (cluster-batch.ts). Each instance
 * listens on its own channel and on one for all. Redis is optional: one instance needs
 * nothing of this. Frames stay ciphertext; Redis sees what the relay sees.
 */
import Redis from "ioredis";
import type { Account, ClaimStore } from "./accounts.ts";
import { Batch, KIND_CONTROL, KIND_TO_APP, KIND_TO_HUB, payloadOf, readBatch } from "./cluster-batch.ts";

/** What one instance tells another. */
export type ClusterControl =
  /** An app here joins your hub: open a session for it (app_id null: a pairing session). */
  | { t: "open"; hub: string; session: number; app_id: string | null; from: string }
  /** The app of this session left. */
  | { t: "closed"; session: number }
  /** The hub's side ended this session: close the app with this code. */
  | { t: "end"; session: number; code: number; reason: string }
  /** This hub is connected to instance `to` now (to all: an older socket elsewhere is replaced). */
  | { t: "hub_moved"; hub: string; to: string }
  /** A hub here changed its ACME challenge values (to all: every instance answers the zone's DNS). */
  | { t: "txt"; name: string; values: { value: string; until: number }[] };

export interface ClusterEvents {
  /** A frame from a remote app for the hub holding `session` here, already prefixed with `session`. */
  toHub(session: number, hubFrame: Uint8Array): void;
  /** A frame from a remote hub for the app of `session` here. */
  toApp(session: number, payload: Uint8Array): void;
  control(m: ClusterControl): void;
}

const HUB_TTL_S = 60;
/** A batch this big is published at once rather than when the event loop turns. */
const BATCH_FLUSH_BYTES = 64 * 1024;
const REFRESH_MS = 20_000;

export class Cluster {
  readonly instance = crypto.randomUUID();
  private readonly pub: Redis;
  private readonly sub: Redis;
  private refresher: ReturnType<typeof setInterval> | null = null;
  /** What waits for each instance (and "all") until the event loop turns. */
  private readonly batches = new Map<string, Batch>();
  private flushQueued = false;
  /** The last trouble with Redis (it reconnects by itself), for /health. */
  lastError: string | null = null;

  constructor(redisUrl: string) {
    this.pub = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
    this.sub = new Redis(redisUrl, { lazyConnect: true });
    for (const r of [this.pub, this.sub]) {
      r.on("error", (e: Error) => {
        this.lastError = e.message;
      });
      r.on("ready", () => {
        this.lastError = null;
      });
    }
  }

  /** Connect, listen, and keep the keys of `localHubs()` fresh. */
  async start(events: ClusterEvents, localHubs: () => Iterable<string>): Promise<void> {
    await Promise.all([this.pub.connect(), this.sub.connect()]);
    this.sub.on("messageBuffer", (_channel: Buffer, message: Buffer) => this.received(events, message));
    await this.sub.subscribe(channel(this.instance), channel("all"));
    this.refresher = setInterval(() => {
      const ids = [...localHubs()];
      if (ids.length === 0) return;
      const m = this.pub.multi();
      for (const id of ids) m.set(hubKey(id), this.instance, "EX", HUB_TTL_S);
      void m.exec().catch(() => undefined);
    }, REFRESH_MS);
  }

  async stop(): Promise<void> {
    if (this.refresher) clearInterval(this.refresher);
    this.flush();
    this.pub.disconnect();
    this.sub.disconnect();
  }

  /** A hub proved its key here: it is ours now, and its key is everyone's to check tickets with. */
  async hubHere(id: string, publicKey: Uint8Array): Promise<void> {
    await this.pub
      .multi()
      .set(hubKey(id), this.instance, "EX", HUB_TTL_S)
      .hset("relay:keys", id, Buffer.from(publicKey).toString("base64"))
      .exec();
    this.control("all", { t: "hub_moved", hub: id, to: this.instance });
  }

  /** A hub left this instance (its key stays: tickets for it are still checked while it is away). */
  async hubGone(id: string): Promise<void> {
    if ((await this.pub.get(hubKey(id))) === this.instance) await this.pub.del(hubKey(id));
  }

  whereIs(id: string): Promise<string | null> {
    return this.pub.get(hubKey(id));
  }

  async publicKey(id: string): Promise<Uint8Array | null> {
    const b64 = await this.pub.hget("relay:keys", id);
    return b64 ? new Uint8Array(Buffer.from(b64, "base64")) : null;
  }

  /** Accounts' claims, shared by every instance (a hash per account: machine id → claim). */
  claims(): ClaimStore {
    const key = (a: Account) => `relay:claims:${a.iss}\n${a.sub}`;
    return {
      put: async (a, hub, claim, at) => {
        await this.pub.hset(key(a), hub, JSON.stringify({ claim, at }));
      },
      list: async (a) =>
        Object.entries(await this.pub.hgetall(key(a)))
          .map(([hub_id, v]) => {
            const { claim, at } = JSON.parse(v) as { claim: string; at: number };
            return { hub_id, claim, claimed_at_ms: at };
          })
          .sort((x, y) => x.claimed_at_ms - y.claimed_at_ms),
      remove: async (a, hub) => (await this.pub.hdel(key(a), hub)) > 0,
    };
  }

  control(to: string, m: ClusterControl): void {
    this.put(to, KIND_CONTROL, null, Buffer.from(JSON.stringify(m)));
  }

  toHub(to: string, session: number, payload: Uint8Array): void {
    this.put(to, KIND_TO_HUB, session, payload);
  }

  toApp(to: string, session: number, payload: Uint8Array): void {
    this.put(to, KIND_TO_APP, session, payload);
  }

  /** Into `to`'s batch, in order: one instance's messages to another arrive as they were put. */
  private put(to: string, kind: number, session: number | null, body: Uint8Array): void {
    let batch = this.batches.get(to);
    if (!batch) {
      batch = new Batch();
      this.batches.set(to, batch);
    }
    batch.put(kind, session, body);
    if (batch.bytes >= BATCH_FLUSH_BYTES) this.publish(to, batch);
    else if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(this.flush);
    }
  }

  private readonly flush = (): void => {
    this.flushQueued = false;
    for (const [to, batch] of this.batches) if (batch.bytes > 0) this.publish(to, batch);
  };

  private publish(to: string, batch: Batch): void {
    void this.pub.publish(channel(to), batch.take()).catch(() => undefined);
  }

  private received(events: ClusterEvents, message: Buffer): void {
    readBatch(message, (kind, session, body) => {
      if (kind === KIND_TO_HUB) events.toHub(session, body);
      else if (kind === KIND_TO_APP) events.toApp(session, payloadOf(body));
      else if (kind === KIND_CONTROL) {
        try {
          events.control(JSON.parse(body.toString()) as ClusterControl);
        } catch {
          // not ours to understand: another version's message
        }
      }
    });
  }
}

const channel = (instance: string) => `relay:i:${instance}`;
const hubKey = (id: string) => `relay:hub:${id}`;
