/**
 * @module What the hub needs of "the scale", whoever provides it: the simulator's virtual Decent
 * Scale (ScaleConnection) or a real Bluetooth scale kept by the shared connection manager
 * (ManagedScale). Brew-by-weight, the API and MQTT use only this.
 */
import type { ScaleReading } from "./decent-scale.ts";
import type { ScaleHealth } from "./scale-connection.ts";

/** A scale that is connected and streaming. */
export interface ConnectedScale {
  /** The controller's scale_model (its lag table). */
  readonly model: number;
  /** Measurement lag, ms. */
  readonly lagMs: number;
  /** Zero it; true once it read zero. */
  tare(): Promise<boolean>;
}

export type TareAnswer = { ok: true } | { ok: false; code: "no_scale" | "no_answer"; message: string };

export interface ScaleSource {
  /** The scale while it streams; null when none is connected or its weight went stale. */
  readonly current: ConnectedScale | null;
  onReading(listener: (r: ScaleReading) => void): () => void;
  /** Fires with the scale when it becomes usable and with null when it stops being so. */
  onChange(listener: (d: ConnectedScale | null) => void): () => void;
  health(): ScaleHealth;
  tare(): Promise<TareAnswer>;
  start(): void;
  stop(): Promise<void>;
}
