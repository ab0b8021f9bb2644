/**
 * @module The hub's Decent Scale driver (also Half Decent and EspressiScale): weight notifications
 * in, tare/LED/heartbeat commands out, over any GattLink. Facts from peers.md §3.2: commands are sent
 * twice when no ack comes (v1.0 firmware drops commands), a heartbeat every few seconds keeps the
 * newer firmware streaming.
 */
import { DECENT_COMMAND_CHAR, DECENT_LAG_MS, DECENT_WEIGHT_CHAR, encodeDecentCommand, parseDecentNotification } from "@brewos/protocol/ble";
import { ScaleModel } from "@brewos/protocol/uart";
import type { GattLink } from "./gatt-link.ts";

export interface ScaleReading {
  grams: number;
  stable: boolean;
  /** Hub clock (ms) when the notification arrived. */
  rx_ms: number;
}

export interface ScaleDriver {
  readonly model: number;
  readonly lagMs: number;
  /** Handle a notification from the link. */
  notify(characteristic: number, value: Uint8Array): void;
  onReading(listener: (r: ScaleReading) => void): () => void;
  /** Zero the scale; resolves true once it confirmed (false when it never did). */
  tare(): Promise<boolean>;
  readonly badNotifications: number;
  stop(): void;
}

const HEARTBEAT_MS = 4000;
const RETRY_MS = 300;

export class DecentScale implements ScaleDriver {
  readonly model = ScaleModel.decent;
  readonly lagMs = DECENT_LAG_MS;
  badNotifications = 0;
  private readonly listeners = new Set<(r: ScaleReading) => void>();
  private tareCounter = 0;
  private tareWaiters: (() => void)[] = [];
  private readonly heartbeat: ReturnType<typeof setInterval>;

  constructor(
    private readonly link: GattLink,
    private readonly now: () => number = () => performance.timeOrigin + performance.now(),
  ) {
    link.write(DECENT_COMMAND_CHAR, encodeDecentCommand({ kind: "led", on: true }));
    this.heartbeat = setInterval(() => link.write(DECENT_COMMAND_CHAR, encodeDecentCommand({ kind: "heartbeat" })), HEARTBEAT_MS);
  }

  notify(characteristic: number, value: Uint8Array): void {
    if (characteristic !== DECENT_WEIGHT_CHAR) return;
    const p = parseDecentNotification(value);
    if (!p.ok) {
      this.badNotifications++;
      return;
    }
    if (p.value.kind === "tare_ack") {
      const w = this.tareWaiters;
      this.tareWaiters = [];
      for (const done of w) done();
    } else if (p.value.kind === "weight") {
      const r = { grams: p.value.grams, stable: p.value.stable, rx_ms: this.now() };
      for (const l of this.listeners) l(r);
    }
  }

  onReading(listener: (r: ScaleReading) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async tare(): Promise<boolean> {
    const counter = this.tareCounter;
    this.tareCounter = (this.tareCounter + 1) & 0xff;
    const acked = new Promise<void>((done) => this.tareWaiters.push(done));
    for (let attempt = 0; attempt < 2; attempt++) {
      this.link.write(DECENT_COMMAND_CHAR, encodeDecentCommand({ kind: "tare", counter }));
      const ok = await Promise.race([acked.then(() => true), Bun.sleep(RETRY_MS).then(() => false)]);
      if (ok) return true;
    }
    return false;
  }

  stop(): void {
    clearInterval(this.heartbeat);
    this.listeners.clear();
  }
}
