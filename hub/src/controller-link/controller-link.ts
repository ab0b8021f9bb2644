/**
 * @module The hub's side of the controller link (protocol/uart/SPEC.md §4–5): opens a transport,
 * says hello and checks the major version, keeps the desired state flowing every 200 ms, sends
 * discrete commands with ack, retry and the same seq (the controller replays, never re-executes),
 * notices a controller reset or a silent link, and reconnects with backoff. It exposes link
 * health for the API. It decides nothing about the machine: safety lives in the controller.
 */
import {
  type AckMessage,
  type ControllerHelloMessage,
  type DesiredStateMessage,
  encodeFrame,
  MESSAGE_DESCRIPTORS,
  PROTOCOL_VERSION_MAJOR,
  PROTOCOL_VERSION_MINOR,
  type UartMessage,
  UartStreamDecoder,
  type UnsequencedMessage,
} from "@brewos/protocol/uart";
import { Backoff, type BackoffOptions } from "./backoff.ts";
import type { Transport, TransportFactory } from "./transport.ts";

export type DesiredState = Omit<DesiredStateMessage, "type" | "seq">;

/** Messages that the controller answers with exactly one ack. */
export type CommandMessage = Extract<
  UnsequencedMessage,
  {
    type:
      | "shot_start"
      | "shot_stop"
      | "config_set"
      | "config_get"
      | "profile_chunk"
      | "fault_clear"
      | "autotune_start"
      | "shot_settled"
      | "update_offer"
      | "update_chunk"
      | "update_finish"
      | "update_abort";
  }
>;

/** Firmware update commands go through whatever major the controller speaks: that is how a mismatch is fixed. */
const VERSION_FREE_COMMANDS: ReadonlySet<string> = new Set(
  MESSAGE_DESCRIPTORS.filter((d) => d.versionFree && d.from === "hub" && d.name !== "hub_hello").map((d) => d.name),
);

export type LinkState = "connecting" | "handshake" | "up" | "version_mismatch" | "down" | "stopped";

export interface LinkHealth {
  state: LinkState;
  transport: string | null;
  controller: Omit<ControllerHelloMessage, "type" | "seq"> | null;
  frames: number;
  crc_errors: number;
  resyncs: number;
  errors: Record<string, number>;
  last_frame_age_ms: number | null;
  reconnects: number;
  controller_resets: number;
  commands_retried: number;
  last_error: string | null;
}

export interface ControllerLinkOptions {
  open: TransportFactory;
  /** The desired state to send now; read on every keepalive. */
  desired: () => DesiredState;
  hubVersion?: { major: number; minor: number; patch: number };
  backoff?: BackoffOptions;
  keepaliveMs?: number;
  ackTimeoutMs?: number;
  retries?: number;
  /** No frame at all for this long: the link is dead even if the pipe looks open. */
  silenceMs?: number;
  /** How long the handshake may take before the connection is dropped and retried. */
  helloTimeoutMs?: number;
  /** Within the handshake, hub_hello is said again this often: one lost frame costs this, not a reconnect. */
  helloRepeatMs?: number;
  /** Called after each successful handshake (push settings and profiles here). */
  onUp?: (hello: ControllerHelloMessage) => Promise<void> | void;
  log?: (level: "info" | "warn", text: string) => void;
}

/** A command that did not get a usable answer; `code` is stable, `message` is for people. */
export class LinkError extends Error {
  constructor(
    readonly code: "link_down" | "no_ack" | "version_mismatch" | "stopped",
    message: string,
  ) {
    super(message);
    this.name = "LinkError";
  }
}

interface Pending {
  typeId: number;
  bytes: Uint8Array;
  tries: number;
  timer: ReturnType<typeof setTimeout> | null;
  resolve: (a: AckMessage) => void;
  reject: (e: LinkError) => void;
}

/** `config_get` key that asks for every value. */
const ALL_CONFIG_KEYS = 0;

const TYPE_ID = new Map(MESSAGE_DESCRIPTORS.map((d) => [d.name, d.id]));

export class ControllerLink {
  private readonly o: Required<Omit<ControllerLinkOptions, "onUp" | "log" | "hubVersion">> &
    Pick<ControllerLinkOptions, "onUp" | "log"> & { hubVersion: { major: number; minor: number; patch: number } };
  private readonly backoff: Backoff;
  private readonly listeners = new Set<(m: UartMessage) => void>();
  private readonly stateListeners = new Set<(s: LinkState) => void>();
  private readonly pending = new Map<number, Pending>();
  /** The controller's configuration as last reported (key id -> value). */
  readonly config = new Map<number, number>();
  private transport: Transport | null = null;
  private decoder = new UartStreamDecoder();
  private totals = { frames: 0, resyncs: 0, errors: {} as Record<string, number> };
  private seq = 0;
  private state: LinkState = "stopped";
  private hello: ControllerHelloMessage | null = null;
  private awaitingHello = false;
  private helloSentAt = 0;
  private rxAtMs = 0;
  /** The controller's clock as last seen; a hello behind it means the controller restarted. */
  private lastUptimeMs: number | null = null;
  private lastFrameAt: number | null = null;
  private lastError: string | null = null;
  private reconnects = 0;
  private resets = 0;
  private retried = 0;
  private timers: ReturnType<typeof setInterval>[] = [];
  private helloTimer: ReturnType<typeof setTimeout> | null = null;
  private helloRepeat: ReturnType<typeof setInterval> | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private generation = 0;
  private startedAt = 0;

  constructor(options: ControllerLinkOptions) {
    this.o = {
      backoff: { initialMs: 100, maxMs: 5000 },
      keepaliveMs: 200,
      ackTimeoutMs: 150,
      retries: 3,
      silenceMs: 3000,
      helloTimeoutMs: 6000,
      helloRepeatMs: 500,
      hubVersion: { major: 0, minor: 1, patch: 0 },
      ...options,
    };
    this.backoff = new Backoff(this.o.backoff);
  }

  /** Start connecting; keeps reconnecting until stop(). */
  start(): void {
    if (this.state !== "stopped") return;
    this.startedAt = Date.now();
    this.setState("connecting");
    void this.connect();
    this.timers.push(setInterval(() => this.keepalive(), this.o.keepaliveMs));
    this.timers.push(setInterval(() => this.watchSilence(), Math.min(500, this.o.silenceMs)));
  }

  async stop(): Promise<void> {
    this.setState("stopped");
    this.generation++;
    for (const t of this.timers.splice(0)) clearInterval(t);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.endHandshakeTimers();
    this.failPending(new LinkError("stopped", "the hub is shutting down"));
    const t = this.transport;
    this.transport = null;
    if (t) await t.close();
  }

  /** Link state changes (connecting, handshake, up, down, ...). Returns an unsubscribe function. */
  onState(listener: (s: LinkState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private setState(s: LinkState): void {
    if (s === this.state) return;
    this.state = s;
    for (const l of this.stateListeners) l(s);
  }

  /** Every decoded message from the controller. Returns an unsubscribe function. */
  onMessage(listener: (m: UartMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Wall-clock time (ms since the epoch, sub-ms precision) the last bytes arrived from the controller. */
  get lastRxMs(): number {
    return this.rxAtMs;
  }

  get isUp(): boolean {
    return this.state === "up";
  }

  /** Resolves once the link is up, or rejects after `ms`. */
  async whenUp(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.state !== "up") {
      if (Date.now() > deadline)
        throw new LinkError("link_down", `controller link not up within ${ms} ms (${this.lastError ?? this.state})`);
      await Bun.sleep(20);
    }
  }

  health(): LinkHealth {
    const d = this.decoder.stats;
    const errors: Record<string, number> = { ...this.totals.errors };
    for (const [k, v] of Object.entries(d.errors)) errors[k] = (errors[k] ?? 0) + v;
    let controller: LinkHealth["controller"] = null;
    if (this.hello) {
      const { type: _t, seq: _s, ...rest } = this.hello;
      controller = rest;
    }
    return {
      state: this.state,
      transport: this.transport?.describe ?? null,
      controller,
      frames: this.totals.frames + d.frames,
      crc_errors: errors.crc_mismatch ?? 0,
      resyncs: this.totals.resyncs + d.resyncs,
      errors,
      last_frame_age_ms: this.lastFrameAt === null ? null : Date.now() - this.lastFrameAt,
      reconnects: this.reconnects,
      controller_resets: this.resets,
      commands_retried: this.retried,
      last_error: this.lastError,
    };
  }

  /** Send a discrete command; resolves with its ack (any result) or rejects with a LinkError. */
  command(msg: CommandMessage): Promise<AckMessage> {
    const anyMajor = VERSION_FREE_COMMANDS.has(msg.type);
    if (this.state === "version_mismatch" && !anyMajor) {
      return Promise.reject(new LinkError("version_mismatch", this.lastError ?? "controller speaks another protocol version"));
    }
    if ((this.state !== "up" && !(anyMajor && this.state === "version_mismatch")) || !this.transport) {
      return Promise.reject(new LinkError("link_down", `controller link is ${this.state}${this.lastError ? `: ${this.lastError}` : ""}`));
    }
    const seq = this.nextSeq();
    const bytes = encodeFrame({ ...msg, seq } as UartMessage);
    const typeId = TYPE_ID.get(msg.type) ?? -1;
    return new Promise<AckMessage>((resolve, reject) => {
      const p: Pending = { typeId, bytes, tries: 0, timer: null, resolve, reject };
      this.pending.set(seq, p);
      this.transmit(seq, p);
    });
  }

  /** Send a message that is not acked (weight samples, scale info); dropped while the link is down. */
  send(msg: Extract<UnsequencedMessage, { type: "weight_sample" | "scale_info" | "desired_state" }>): boolean {
    if (this.state !== "up" || !this.transport) return false;
    this.transport.write(encodeFrame({ ...msg, seq: this.nextSeq() } as UartMessage));
    return true;
  }

  private nextSeq(): number {
    const s = this.seq;
    this.seq = (this.seq + 1) & 0xffff;
    return s;
  }

  private transmit(seq: number, p: Pending): void {
    if (!this.transport) return;
    this.transport.write(p.bytes);
    p.tries++;
    p.timer = setTimeout(() => {
      if (!this.pending.has(seq)) return;
      if (p.tries > this.o.retries) {
        this.pending.delete(seq);
        p.reject(new LinkError("no_ack", `controller did not answer after ${p.tries} tries`));
        return;
      }
      this.retried++;
      this.transmit(seq, p);
    }, this.o.ackTimeoutMs);
  }

  private failPending(e: LinkError): void {
    for (const [seq, p] of this.pending) {
      if (p.timer) clearTimeout(p.timer);
      this.pending.delete(seq);
      p.reject(e);
    }
  }

  private async connect(): Promise<void> {
    const gen = ++this.generation;
    this.setState("connecting");
    let t: Transport;
    try {
      t = await this.o.open({
        onData: (chunk) => {
          if (gen === this.generation) this.receive(chunk);
        },
        onClose: (reason) => {
          if (gen === this.generation) void this.lost(reason);
        },
      });
    } catch (e) {
      if (gen !== this.generation) return;
      this.lastError = (e as Error).message;
      this.scheduleReconnect();
      return;
    }
    if (gen !== this.generation || (this.state as LinkState) === "stopped") {
      await t.close();
      return;
    }
    this.transport = t;
    this.decoder = new UartStreamDecoder();
    this.lastFrameAt = Date.now();
    this.setState("handshake");
    this.sayHello();
  }

  /**
   * Open the handshake: hub_hello now and again every helloRepeatMs until the controller answers
   * (a controller that already knows a hub never repeats its own hello, so a lost hub_hello or a
   * lost answer would otherwise cost the whole timeout and a reconnect).
   */
  private sayHello(): void {
    this.awaitingHello = true;
    this.writeHello();
    this.endHandshakeTimers();
    const gen = this.generation;
    this.helloTimer = setTimeout(() => {
      if (gen === this.generation && this.awaitingHello) void this.lost(`no controller_hello within ${this.o.helloTimeoutMs} ms`);
    }, this.o.helloTimeoutMs);
    this.helloRepeat = setInterval(() => {
      if (gen === this.generation && this.awaitingHello) this.writeHello();
    }, this.o.helloRepeatMs);
  }

  private writeHello(): void {
    this.helloSentAt = Date.now();
    this.transport?.write(
      encodeFrame({
        type: "hub_hello",
        seq: this.nextSeq(),
        proto_major: PROTOCOL_VERSION_MAJOR,
        proto_minor: PROTOCOL_VERSION_MINOR,
        hub_major: this.o.hubVersion.major,
        hub_minor: this.o.hubVersion.minor,
        hub_patch: this.o.hubVersion.patch,
        capabilities: 0,
        uptime_ms: (Date.now() - this.startedAt) >>> 0,
      }),
    );
  }

  private endHandshakeTimers(): void {
    if (this.helloTimer) clearTimeout(this.helloTimer);
    if (this.helloRepeat) clearInterval(this.helloRepeat);
    this.helloTimer = null;
    this.helloRepeat = null;
  }

  private receive(chunk: Uint8Array): void {
    this.rxAtMs = performance.timeOrigin + performance.now();
    for (const r of this.decoder.push(chunk)) {
      if (!r.ok) {
        // Counted by the decoder's stats. A frame of another major is still a controller alive.
        if (r.error === "unsupported_version") this.lastFrameAt = Date.now();
        continue;
      }
      this.lastFrameAt = Date.now();
      const m = r.message;
      if (m.type === "controller_hello") this.onHello(m);
      else if (m.type === "ack") this.onAck(m);
      else if (m.type === "config_report") this.config.set(m.key, m.value);
      else if (m.type === "telemetry") this.lastUptimeMs = m.uptime_ms;
      for (const l of this.listeners) l(m);
    }
  }

  private onHello(m: ControllerHelloMessage): void {
    const answered = this.awaitingHello;
    this.awaitingHello = false;
    this.endHandshakeTimers();
    this.hello = m;
    const restarted = this.lastUptimeMs !== null && m.uptime_ms < this.lastUptimeMs;
    this.lastUptimeMs = m.uptime_ms;
    if (restarted) {
      this.resets++;
      this.o.log?.("warn", `controller restarted (reset reason ${m.reset_reason}, up ${m.uptime_ms} ms)`);
    }
    if (!answered) {
      // An unprompted hello is one of three things. Its uptime went back: the controller restarted
      // (reset_reason says why), forgot our hello, and commands in flight may not have run. It
      // repeats its hello long after ours: it never got ours. Otherwise it is the answer to our
      // hello crossing its own boot hello on the wire, and needs nothing.
      if (restarted || Date.now() - this.helloSentAt > 1000) this.sayHello();
      return;
    }
    if (m.proto_major !== PROTOCOL_VERSION_MAJOR) {
      this.setState("version_mismatch");
      this.lastError = `controller speaks protocol ${m.proto_major}.${m.proto_minor}, this hub ${PROTOCOL_VERSION_MAJOR}.${PROTOCOL_VERSION_MINOR}: update the ${
        m.proto_major > PROTOCOL_VERSION_MAJOR ? "hub" : "controller firmware"
      }`;
      this.o.log?.("warn", this.lastError);
      return;
    }
    const wasUp = this.state === "up";
    this.setState("up");
    this.lastError = null;
    this.backoff.reset();
    this.keepalive(); // the desired state goes out at once, not up to 200 ms later
    if (!wasUp) {
      this.o.log?.("info", `controller link up over ${this.transport?.describe}: firmware ${m.fw_major}.${m.fw_minor}.${m.fw_patch}`);
      void (async () => {
        try {
          await this.command({ type: "config_get", key: ALL_CONFIG_KEYS });
          await this.o.onUp?.(m);
        } catch (e) {
          this.o.log?.("warn", `after connect: ${(e as Error).message}`);
        }
      })();
    }
  }

  private onAck(a: AckMessage): void {
    const p = this.pending.get(a.acked_seq);
    if (!p || p.typeId !== a.acked_type) return;
    if (p.timer) clearTimeout(p.timer);
    this.pending.delete(a.acked_seq);
    p.resolve(a);
  }

  private keepalive(): void {
    if (this.state !== "up" || !this.transport) return;
    this.transport.write(encodeFrame({ type: "desired_state", seq: this.nextSeq(), ...this.o.desired() }));
  }

  private watchSilence(): void {
    if (!this.transport || this.lastFrameAt === null) return;
    if (this.state !== "up" && this.state !== "version_mismatch") return;
    const age = Date.now() - this.lastFrameAt;
    if (age > this.o.silenceMs) void this.lost(`no frame from the controller for ${age} ms`);
  }

  private async lost(reason: string): Promise<void> {
    if (this.state === "stopped") return;
    this.generation++;
    this.lastError = reason;
    this.o.log?.("warn", `controller link lost: ${reason}`);
    this.setState("down");
    this.awaitingHello = false;
    this.endHandshakeTimers();
    this.failPending(new LinkError("link_down", `controller link lost: ${reason}`));
    const d = this.decoder.stats;
    this.totals.frames += d.frames;
    this.totals.resyncs += d.resyncs;
    for (const [k, v] of Object.entries(d.errors)) this.totals.errors[k] = (this.totals.errors[k] ?? 0) + v;
    this.decoder = new UartStreamDecoder();
    const t = this.transport;
    this.transport = null;
    if (t) await t.close().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.state === "stopped") return;
    this.setState("down");
    const delay = this.backoff.next();
    this.reconnectTimer = setTimeout(() => {
      if (this.state === "stopped") return;
      this.reconnects++;
      void this.connect();
    }, delay);
  }
}
